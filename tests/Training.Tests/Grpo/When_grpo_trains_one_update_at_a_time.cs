using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Checkpoints;
using PrunerPipeline.Training.Methods;
using PrunerPipeline.Training.Objectives;
using PrunerPipeline.Training.Samples;

namespace PrunerPipeline.Training.Tests.Grpo;

/// <summary>
/// GRPO's recipe (group-relative advantages per problem, token ratios and token-level aggregation, clip-higher) and the
/// trainer's online update: one optimizer step from the previous version, written as the next checkpoint, deterministic.
/// </summary>
public sealed class When_grpo_trains_one_update_at_a_time
{
    private static StartPruningRun Run(GroupNormalisation normalisation = GroupNormalisation.Standardised) => new()
    {
        RunId = "grpo", Method = GrpoMethod.MethodKey, GroupNormalisation = normalisation, ClipEpsilon = 0.2, ClipEpsilonHigh = 0.28,
    };

    // Problem a: rewards 1, 0, 0, 1 (mean ½, population std ½); problem b: 2, 2 (no preference).
    private static readonly TrainingSample[] Group =
    [
        SampleFactory.Sample("a", 0, 3, true, reward: 1),
        SampleFactory.Sample("a", 1, 5, false, reward: 0),
        SampleFactory.Sample("b", 0, 4, true, reward: 2),
        SampleFactory.Sample("a", 2, 4, false, reward: 0),
        SampleFactory.Sample("b", 1, 6, true, reward: 2),
        SampleFactory.Sample("a", 3, 2, true, reward: 1),
    ];

    [Theory]
    [InlineData(GroupNormalisation.Standardised, 1.0)]
    [InlineData(GroupNormalisation.MeanOnly, 0.5)]
    public void Each_problem_is_its_own_group_and_a_group_without_preference_gets_zero(GroupNormalisation normalisation, double magnitude)
    {
        var examples = GrpoMethod.Advantages(Group, normalisation);

        var byKey = examples.ToDictionary(e => (e.Sample.ProblemId, e.Sample.SampleIndex), e => e.Advantage);
        Assert.Equal(6, byKey.Count);
        // Standardised: (1 − ½)/(½ + 1e-6) = 0.999998; mean-only: ±½.
        var tolerance = normalisation == GroupNormalisation.Standardised ? 1e-5 : 1e-12;
        Assert.Equal(magnitude, byKey[("a", 0)], tolerance);
        Assert.Equal(-magnitude, byKey[("a", 1)], tolerance);
        Assert.Equal(-magnitude, byKey[("a", 2)], tolerance);
        Assert.Equal(magnitude, byKey[("a", 3)], tolerance);
        Assert.Equal(0.0, byKey[("b", 0)]);
        Assert.Equal(0.0, byKey[("b", 1)]);
    }

    [Fact]
    public void The_recipe_uses_token_ratios_token_level_aggregation_and_the_runs_clip_range()
    {
        var builder = new CapturingBuilder();

        new GrpoMethod().CreateRecipe(Group, Run(GroupNormalisation.MeanOnly), new RecipeSettings(), builder);

        var options = builder.Options!;
        Assert.Equal((RatioGranularity.Token, LossAggregation.TokenMean, false), (options.Granularity, options.Aggregation, options.NormaliseAdvantagesPerBatch));
        Assert.Equal((0.2, 0.28), (options.ClipEpsilon, options.UpperEpsilon));
        Assert.Equal(0.0, options.KlCoefficient);
        Assert.Equal([0.5, -0.5, -0.5, 0.5, 0, 0], builder.Examples!.Select(e => e.Advantage));
    }

    [Fact]
    public void An_update_continues_from_the_previous_checkpoint_and_is_deterministic()
    {
        using var folder = new TemporaryFolder();
        var trainer = new PolicyTrainer(TinyTraining.Options);
        PolicyExample[] examples = [.. GrpoMethod.Advantages(SampleFactory.Set(problems: 4, perProblem: 4), GroupNormalisation.Standardised)];
        O1PrunerRecipe Recipe() => new(examples, new PpoClipObjective(new PpoClipOptions { Granularity = RatioGranularity.Token, Aggregation = LossAggregation.TokenMean, NormaliseAdvantagesPerBatch = false }));

        var base0 = new TinyPolicy();
        var before = base0.Snapshot();
        var first = trainer.TrainUpdate(base0, Recipe(), Path.Combine(folder.Path, "u1"), null, update: 1, totalUpdates: 3, null, CancellationToken.None);
        // 16 examples in optimizer steps of 8: two steps per update, the checkpoint named after the policy version.
        Assert.Equal((1, 3, 2, 2L), (first.Final.State.Step, first.Final.State.TotalSteps, first.StepsRun, first.Final.State.OptimizerStepCount));
        Assert.NotEqual(before.First().Value, base0.Snapshot().First().Value);

        // Update 2 twice from the same stored version 1 (a redelivered command): the same weights, bit for bit.
        TinyPolicy Second(string name)
        {
            var policy = TinyPolicy.Load(first.Final.Directory);
            var result = trainer.TrainUpdate(policy, Recipe(), Path.Combine(folder.Path, name), first.Final, update: 2, totalUpdates: 3, null, CancellationToken.None);
            Assert.Equal([1, 2, 3, 4], result.Metrics.Select(m => m.Step));
            Assert.Equal(4, TrainingCheckpoint.Read(result.Final.Directory).State.OptimizerStepCount);
            return policy;
        }
        var a = Second("u2a").Snapshot();
        var b = Second("u2b").Snapshot();
        foreach (var (name, weights) in a)
        {
            Assert.Equal(weights, b[name]);
        }

        // An update from the wrong version is refused.
        Assert.Throws<InvalidOperationException>(() => trainer.TrainUpdate(TinyPolicy.Load(first.Final.Directory), Recipe(), Path.Combine(folder.Path, "u3"), first.Final,
            update: 3, totalUpdates: 3, null, CancellationToken.None));
        Assert.Throws<InvalidOperationException>(() => trainer.TrainUpdate(new TinyPolicy(), Recipe(), Path.Combine(folder.Path, "u2c"), null,
            update: 2, totalUpdates: 3, null, CancellationToken.None));
    }

    private sealed class CapturingBuilder : IRecipeBuilder<int>
    {
        public IReadOnlyList<PolicyExample>? Examples { get; private set; }

        public PpoClipOptions? Options { get; private set; }

        public int PpoClip(IReadOnlyList<PolicyExample> examples, PpoClipOptions options)
        {
            (Examples, Options) = (examples, options);
            return 1;
        }

        public int Sft(IReadOnlyList<TrainingSample> samples) => throw new InvalidOperationException("GRPO is not SFT");

        public int Dpo(IReadOnlyList<PreferencePair> pairs, double beta) => throw new InvalidOperationException("GRPO is not DPO");
    }
}

using PrunerPipeline.Training.Samples;
using static PrunerPipeline.Training.Tests.SampleFactory;

namespace PrunerPipeline.Training.Tests;

public class When_training_data_is_selected
{
    private static readonly TrainingSample[] Samples =
    [
        Sample("a", 0, length: 30, correct: true),
        Sample("a", 1, length: 5, correct: false),   // shortest overall, but wrong
        Sample("a", 2, length: 12, correct: true),
        Sample("a", 3, length: 50, correct: true),
        Sample("a", 4, length: 9, correct: true),
        Sample("b", 0, length: 7, correct: true),    // the only correct one
        Sample("b", 1, length: 3, correct: false),
        Sample("c", 0, length: 4, correct: false),   // nothing correct
    ];

    [Fact]
    public void Sft_picks_exactly_the_two_shortest_correct_samples_per_problem()
    {
        var picked = SftSelection.Select(Samples).Select(s => (s.ProblemId, s.SampleIndex)).ToArray();
        Assert.Equal(new[] { ("a", 4), ("a", 2), ("b", 0) }, picked);
    }

    [Fact]
    public void Dpo_pairs_the_shortest_correct_with_the_longest_correct()
    {
        var pair = Assert.Single(DpoPairSelection.Select(Samples));
        Assert.Equal(("a", 4), (pair.Chosen.ProblemId, pair.Chosen.SampleIndex));
        Assert.Equal(("a", 3), (pair.Rejected.ProblemId, pair.Rejected.SampleIndex));
    }

    [Fact]
    public void The_authors_preparation_keeps_two_samples_per_problem_and_standardises_the_clipped_reward()
    {
        var samples = SampleFactory.Set(problems: 20, perProblem: 6)
            .Select((s, i) => s with { Reward = i % 7 == 0 ? 9.0 : s.Reward }) // some beyond the clip
            .ToArray();
        var prepared = RewardPreparation.Prepare(samples, RewardPreparationOptions.Authors with { Seed = 5 });

        Assert.Equal(40, prepared.Count);
        Assert.All(prepared.GroupBy(p => p.Sample.ProblemId), g => Assert.Equal(2, g.Count()));
        var advantages = prepared.Select(p => p.Advantage).ToArray();
        Assert.Equal(0, advantages.Average(), 9);
        Assert.Equal(1, Math.Sqrt(advantages.Select(a => a * a).Average()), 9);
        // Clipping happened before standardising: every reward above 4 maps to the same advantage.
        var clippedAdvantages = prepared.Where(p => p.Sample.Reward >= 4).Select(p => p.Advantage).Distinct().ToArray();
        Assert.True(clippedAdvantages.Length <= 1);
        // The draw is reproducible and depends on the seed.
        var again = RewardPreparation.Prepare(samples, RewardPreparationOptions.Authors with { Seed = 5 });
        Assert.Equal(prepared.Select(p => p.Sample.SampleIndex), again.Select(p => p.Sample.SampleIndex));
        var other = RewardPreparation.Prepare(samples, RewardPreparationOptions.Authors with { Seed = 6 });
        Assert.NotEqual(prepared.Select(p => p.Sample.SampleIndex), other.Select(p => p.Sample.SampleIndex));
    }

    [Fact]
    public void Raw_preparation_keeps_every_sample_and_its_reward()
    {
        var samples = SampleFactory.Set(problems: 3, perProblem: 4);
        var prepared = RewardPreparation.Prepare(samples, RewardPreparationOptions.Raw);
        Assert.Equal(samples.Select(s => s.Reward), prepared.Select(p => p.Advantage));
    }
}

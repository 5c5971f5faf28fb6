using PrunerPipeline.Model;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>Every sample draws from its own seed (run seed, problem id, sample index), so resampling reproduces it exactly.</summary>
public sealed class When_a_shard_is_sampled_twice
{
    private static readonly IReadOnlyList<RolloutPromptSet> Problems =
    [
        new("p-1", RolloutPromptSet.Render("What is 2+3?", "synthetic")),
        new("p-2", RolloutPromptSet.Render("What is 11-4+2?", "synthetic")),
    ];

    [Fact]
    public void The_samples_are_identical_whatever_the_batch_size()
    {
        using var model = CausalLM.Load(TinyReferenceModel.Folder);
        var reference = new ReferenceModel(model, TextTokenizer.Load(TinyReferenceModel.Folder));

        var small = RolloutSampler.Sample(reference, Problems, new RolloutSamplingSettings(3, 8, 1.0, 1.0, Seed: 5, BatchSize: 2), null, CancellationToken.None);
        var large = RolloutSampler.Sample(reference, Problems, new RolloutSamplingSettings(3, 8, 1.0, 1.0, Seed: 5, BatchSize: 6), null, CancellationToken.None);
        var otherSeed = RolloutSampler.Sample(reference, Problems, new RolloutSamplingSettings(3, 8, 1.0, 1.0, Seed: 6, BatchSize: 6), null, CancellationToken.None);

        Assert.Equal(small.Select(s => (s.ProblemId, s.SampleIndex, string.Join(",", s.TokenIds))), large.Select(s => (s.ProblemId, s.SampleIndex, string.Join(",", s.TokenIds))));
        Assert.NotEqual(large.Select(s => string.Join(",", s.TokenIds)), otherSeed.Select(s => string.Join(",", s.TokenIds)));
        // The K samples of one problem differ from each other.
        Assert.True(large.Where(s => s.ProblemId == "p-1").Select(s => string.Join(",", s.TokenIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void Sequence_seeds_are_stable_across_processes()
    {
        // FNV-1a based, unlike string.GetHashCode, which changes per process: the value is pinned here.
        Assert.Equal(3554620993979312914L, RolloutSampler.SequenceSeed(1, "x", 0));
        Assert.Equal(RolloutSampler.SequenceSeed(1234, "synthetic-train-00017", 3), RolloutSampler.SequenceSeed(1234, "synthetic-train-00017", 3));
        Assert.NotEqual(RolloutSampler.SequenceSeed(1234, "synthetic-train-00017", 3), RolloutSampler.SequenceSeed(1234, "synthetic-train-00017", 4));
        Assert.NotEqual(RolloutSampler.SequenceSeed(1234, "synthetic-train-00017", 3), RolloutSampler.SequenceSeed(1235, "synthetic-train-00017", 3));
    }
}

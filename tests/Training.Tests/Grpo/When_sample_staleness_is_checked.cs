using PrunerPipeline.Training.Grpo;

namespace PrunerPipeline.Training.Tests.Grpo;

/// <summary>A sample of policy version v trains version c iff 0 ≤ c − v ≤ maxStaleness.</summary>
public sealed class When_sample_staleness_is_checked
{
    [Fact]
    public void Strictly_on_policy_accepts_only_the_current_version()
    {
        var onPolicy = new PolicyStaleness(maxStaleness: 0);

        Assert.Equal(SampleFreshness.Usable, onPolicy.Classify(sampleVersion: 5, trainerVersion: 5));
        Assert.Equal(SampleFreshness.Stale, onPolicy.Classify(4, 5));
        Assert.Equal(SampleFreshness.FromNewerPolicy, onPolicy.Classify(6, 5));
        Assert.True(onPolicy.IsUsable(0, 0));
    }

    [Fact]
    public void The_bound_is_inclusive()
    {
        var twoBehind = new PolicyStaleness(2);

        Assert.True(twoBehind.IsUsable(5, 5));  // lag 0
        Assert.True(twoBehind.IsUsable(3, 5));  // lag 2 = bound
        Assert.False(twoBehind.IsUsable(2, 5)); // lag 3
        Assert.Equal(SampleFreshness.Stale, twoBehind.Classify(2, 5));
        Assert.False(twoBehind.IsUsable(6, 5)); // from a version the trainer has not reached
    }

    [Fact]
    public void A_batch_splits_into_usable_and_resample_in_order()
    {
        var groups = new[] { ("a", 5), ("b", 3), ("c", 6), ("d", 4), ("e", 2) };

        var split = new PolicyStaleness(1).Partition(groups, g => g.Item2, trainerVersion: 5);

        Assert.Equal(new[] { "a", "d" }, split.Usable.Select(g => g.Item1));         // lags 0 and 1
        Assert.Equal(new[] { "b", "c", "e" }, split.Resample.Select(g => g.Item1));   // lag 2, future, lag 3
    }

    [Fact]
    public void Negative_bounds_and_versions_are_refused_by_name()
    {
        Assert.Equal("maxStaleness", Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyStaleness(-1)).ParamName);
        Assert.Equal("sampleVersion", Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyStaleness(0).Classify(-1, 0)).ParamName);
        Assert.Equal("trainerVersion", Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyStaleness(0).Classify(0, -1)).ParamName);
    }
}

using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

public class When_a_length_reward_is_chosen
{
    private static readonly LengthRewardOptions WithSchedule = new() { ThinkPruneSchedule = LengthLimitSchedule.ThinkPruneRounds(400, 10) };

    [Fact]
    public void Every_key_builds_the_reward_of_that_name()
    {
        Assert.Equal(new[] { "none", "kimi", "shorterbetter", "l1max", "thinkprune", "rlh" }, LengthRewardRegistry.Keys);
        Assert.Equal("none, kimi, shorterbetter, l1max, thinkprune, rlh", LengthRewardRegistry.Allowed);
        foreach (var key in LengthRewardRegistry.Keys)
        {
            Assert.Equal(key, LengthRewardRegistry.Create(key, WithSchedule).Key);
        }
    }

    [Fact]
    public void The_runs_allowed_keys_are_the_registrys()
    {
        // The orchestrator validates lengthReward against Contracts' list; the reward service builds from the registry.
        Assert.Equal(PrunerPipeline.Contracts.LengthRewardNames.All, LengthRewardRegistry.Keys);
    }

    [Fact]
    public void An_unknown_key_is_refused_with_the_allowed_keys()
    {
        var error = Assert.Throws<ArgumentException>(() => LengthRewardRegistry.Create("longer", new LengthRewardOptions()));

        Assert.Equal("key", error.ParamName);
        Assert.Contains("'longer'", error.Message);
        Assert.Contains(LengthRewardRegistry.Allowed, error.Message);
        Assert.False(LengthRewardRegistry.IsKnown("longer"));
    }

    [Fact]
    public void The_options_reach_the_reward()
    {
        // shorterbetter with α = 2, β = 0.01: SOL = 100 → 2 − 0 = 2, 2 − 0.5 = 1.5, 0 − 1 = −1.
        var reward = LengthRewardRegistry.Create("shorterbetter", new LengthRewardOptions { ShorterBetterAlpha = 2, ShorterBetterBeta = 0.01 });

        Equal([2, 1.5, -1], reward.Score(Of((100, true), (150, true), (200, false))));
    }

    [Fact]
    public void Thinkprune_without_a_schedule_names_the_missing_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => LengthRewardRegistry.Create("thinkprune", new LengthRewardOptions()));
        Assert.Equal(nameof(LengthRewardOptions.ThinkPruneSchedule), error.ParamName);
    }

    [Theory]
    [InlineData(nameof(LengthRewardOptions.KimiLengthWeight))]
    [InlineData(nameof(LengthRewardOptions.ShorterBetterAlpha))]
    [InlineData(nameof(LengthRewardOptions.ShorterBetterBeta))]
    [InlineData(nameof(LengthRewardOptions.L1Alpha))]
    [InlineData(nameof(LengthRewardOptions.L1Delta))]
    [InlineData(nameof(LengthRewardOptions.L1TargetLength))]
    [InlineData(nameof(LengthRewardOptions.RlhLambda))]
    public void A_setting_out_of_range_is_refused_by_name(string field)
    {
        var options = field switch
        {
            nameof(LengthRewardOptions.KimiLengthWeight) => new LengthRewardOptions { KimiLengthWeight = double.NaN },
            nameof(LengthRewardOptions.ShorterBetterAlpha) => new LengthRewardOptions { ShorterBetterAlpha = -1 },
            nameof(LengthRewardOptions.ShorterBetterBeta) => new LengthRewardOptions { ShorterBetterBeta = double.PositiveInfinity },
            nameof(LengthRewardOptions.L1Alpha) => new LengthRewardOptions { L1Alpha = -0.001 },
            nameof(LengthRewardOptions.L1Delta) => new LengthRewardOptions { L1Delta = 1.5 },
            nameof(LengthRewardOptions.L1TargetLength) => new LengthRewardOptions { L1TargetLength = 0 },
            _ => new LengthRewardOptions { RlhLambda = -2 },
        };

        // Every setting is validated whichever reward the run picked, so a bad value never waits for a later switch.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LengthRewardRegistry.Create("none", options));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void A_group_with_no_samples_or_a_negative_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RewardGroup([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardGroup([new SampleOutcome(-1, true)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardGroup([new SampleOutcome(1, true)], targetLength: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardGroup([new SampleOutcome(1, true)], step: -1));
    }
}

using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>none: r = 1[correct], whatever the length.</summary>
public class When_the_correctness_reward_is_computed
{
    private readonly CorrectnessReward reward = new();

    [Fact]
    public void Each_sample_earns_one_if_correct_and_zero_if_not()
    {
        Equal([1, 0, 1, 0], reward.Score(Of((100, true), (20, false), (0, true), (900, false))));
    }

    [Fact]
    public void A_group_that_is_all_wrong_earns_nothing()
    {
        Equal([0, 0], reward.Score(Of((5, false), (50, false))));
    }
}

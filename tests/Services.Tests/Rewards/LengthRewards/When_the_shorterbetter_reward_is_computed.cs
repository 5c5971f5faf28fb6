using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>shorterbetter: r = α·1[correct] − β·|L − SOL|, SOL = shortest correct length, or the mean length if none is correct.</summary>
public class When_the_shorterbetter_reward_is_computed
{
    [Fact]
    public void Every_sample_is_measured_against_the_shortest_correct_one()
    {
        // SOL = 100 (shortest correct); α = 1, β = 0.01.
        // 100 ✓: 1 − 0 = 1; 150 ✓: 1 − 0.5 = 0.5; 80 ✗: 0 − 0.2 = −0.2; 200 ✗: 0 − 1 = −1.
        var group = Of((100, true), (150, true), (80, false), (200, false));

        Assert.Equal(100, ShorterBetterReward.SampleOptimalLength(group), Precision);
        Equal([1, 0.5, -0.2, -1], new ShorterBetterReward(alpha: 1, beta: 0.01).Score(group));
        // α = 2 raises only the correctness term: 2, 1.5, −0.2, −1.
        Equal([2, 1.5, -0.2, -1], new ShorterBetterReward(alpha: 2, beta: 0.01).Score(group));
    }

    [Fact]
    public void With_no_correct_sample_the_mean_length_is_the_optimum()
    {
        // SOL = (100 + 200 + 300)/3 = 200: −0.01·100 = −1, 0, −1.
        var group = Of((100, false), (200, false), (300, false));

        Assert.Equal(200, ShorterBetterReward.SampleOptimalLength(group), Precision);
        Equal([-1, 0, -1], new ShorterBetterReward(1, 0.01).Score(group));
    }

    [Fact]
    public void A_single_sample_is_its_own_optimum()
    {
        Equal([1], new ShorterBetterReward(1, 0.01).Score(Of((60, true))));  // SOL = 60 (shortest correct)
        Equal([0], new ShorterBetterReward(1, 0.01).Score(Of((60, false)))); // SOL = 60 (mean)
    }

    [Fact]
    public void When_every_sample_has_the_same_length_only_correctness_counts()
    {
        Equal([1, 0], new ShorterBetterReward(1, 0.01).Score(Of((70, true), (70, false))));
    }

    [Fact]
    public void An_empty_correct_completion_sets_the_optimum_at_zero()
    {
        // SOL = 0: 0 ✓ → 1; 50 ✓ → 1 − 0.5 = 0.5.
        Equal([1, 0.5], new ShorterBetterReward(1, 0.01).Score(Of((0, true), (50, true))));
    }
}

using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>l1max: r = 1[correct]·clip(α·(n_target − L) + δ, 0, 1).</summary>
public class When_the_l1max_reward_is_computed
{
    private readonly L1MaxReward reward = new(alpha: 0.001, delta: 0.5, defaultTargetLength: null);

    [Fact]
    public void A_correct_solution_earns_more_the_further_it_stays_under_the_target()
    {
        // n_target = 1000, α = 0.001, δ = 0.5:
        // 1000 ✓: 0 + 0.5 = 0.5; 700 ✓: 0.3 + 0.5 = 0.8; 1300 ✓: −0.3 + 0.5 = 0.2;
        // 200 ✓: 0.8 + 0.5 = 1.3 → clipped to 1; 1600 ✓: −0.6 + 0.5 = −0.1 → clipped to 0; 500 ✗: 0.
        var group = WithTarget(1000, (1000, true), (700, true), (1300, true), (200, true), (1600, true), (500, false));

        Equal([0.5, 0.8, 0.2, 1, 0, 0], reward.Score(group));
    }

    [Fact]
    public void A_wrong_solution_earns_nothing_however_short()
    {
        Equal([0, 0], reward.Score(WithTarget(1000, (0, false), (10, false))));
    }

    [Fact]
    public void An_empty_correct_completion_earns_the_clipped_maximum()
    {
        // 0.001·1000 + 0.5 = 1.5 → 1. A single sample needs no group statistics.
        Equal([1], reward.Score(WithTarget(1000, (0, true))));
    }

    [Fact]
    public void It_equals_the_released_codes_form_of_the_reward()
    {
        // The L1 code scores (clip((n_target − L)/500, −1, 1) + 1)/2 for a correct solution: α = 1/1000, δ = 1/2.
        var lengths = new[] { 0, 1, 250, 499, 500, 501, 1000, 1499, 1500, 1501, 2000, 4000 };
        var rewards = reward.Score(WithTarget(1000, lengths.Select(l => (l, true)).ToArray()));

        Equal(lengths.Select(l => (Math.Clamp((1000.0 - l) / 500, -1, 1) + 1) / 2).ToArray(), rewards);
    }

    [Fact]
    public void The_groups_own_target_overrides_the_run_wide_one()
    {
        var withDefault = new L1MaxReward(0.001, 0.5, defaultTargetLength: 1000);

        Equal([0.5], withDefault.Score(Of((1000, true))));             // run-wide target 1000
        Equal([0.5], withDefault.Score(WithTarget(500, (500, true)))); // the group's 500: 0 + 0.5
    }

    [Fact]
    public void Without_any_target_the_error_names_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => reward.Score(Of((100, true))));
        Assert.Contains(nameof(LengthRewardOptions.L1TargetLength), error.Message);
    }
}

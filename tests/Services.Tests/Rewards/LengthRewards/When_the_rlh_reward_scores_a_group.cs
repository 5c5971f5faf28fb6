using PrunerPipeline.RewardService;
using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>rlh: O1-Pruner's R_LH = L̄_ref/L − 1 + λ(A − Ā_ref) against the pre-sampled reference baseline.</summary>
public class When_the_rlh_reward_scores_a_group
{
    [Fact]
    public void Each_sample_is_scored_against_the_reference_baseline()
    {
        // L̄_ref = 250, Ā_ref = 0.5, λ = 2: 100 ✓ → 2.5 − 1 + 1 = 2.5; 200 ✗ → 1.25 − 1 − 1 = −0.75; 0 ✗ → 250/1 − 1 − 1 = 248.
        var group = Against(new ReferenceBaseline(250, 0.5), (100, true), (200, false), (0, false));

        Equal([2.5, -0.75, 248], new LengthHarmonizingGroupReward(lambda: 2).Score(group));
    }

    [Fact]
    public void An_all_wrong_group_on_a_problem_the_reference_never_solves_only_counts_length()
    {
        // L̄_ref = 100, Ā_ref = 0: 50 ✗ → 2 − 1 = 1; 200 ✗ → 0.5 − 1 = −0.5.
        var group = Against(new ReferenceBaseline(100, 0), (50, false), (200, false));

        Equal([1, -0.5], new LengthHarmonizingGroupReward(2).Score(group));
    }

    [Fact]
    public void Without_a_reference_baseline_the_error_says_what_is_missing()
    {
        var error = Assert.Throws<ArgumentException>(() => new LengthHarmonizingGroupReward(2).Score(Of((10, true))));
        Assert.Contains(nameof(RewardGroup.Reference), error.Message);
    }
}

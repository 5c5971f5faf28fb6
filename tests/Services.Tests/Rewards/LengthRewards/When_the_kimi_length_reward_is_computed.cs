using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>kimi: λ = 0.5 − (L − L_min)/(L_max − L_min); r = 1[correct] + w·(correct ? λ : min(0, λ)).</summary>
public class When_the_kimi_length_reward_is_computed
{
    [Fact]
    public void Short_correct_solutions_gain_and_long_wrong_ones_lose()
    {
        // L_min = 100, L_max = 500, range 400.
        // λ(100) = 0.5; λ(200) = 0.5 − 100/400 = 0.25; λ(300) = 0.5 − 200/400 = 0; λ(500) = 0.5 − 1 = −0.5.
        // correct: 1 + 0.5 = 1.5, 1 + 0.25 = 1.25; wrong: min(0, 0) = 0, min(0, −0.5) = −0.5.
        var rewards = new KimiLengthReward(lengthWeight: 1).Score(Of((100, true), (200, true), (300, false), (500, false)));

        Equal([1.5, 1.25, 0, -0.5], rewards);
    }

    [Fact]
    public void A_wrong_solution_is_never_rewarded_for_being_short()
    {
        // L_min = 50, L_max = 150: λ(50) = 0.5, λ(150) = −0.5.
        // The short wrong one: 0 + min(0, 0.5) = 0; the long correct one: 1 − 0.5 = 0.5.
        Equal([0, 0.5], new KimiLengthReward(1).Score(Of((50, false), (150, true))));
        // w = 2 doubles the length term only: 0 + 2·min(0, 0.5) = 0; 1 + 2·(−0.5) = 0.
        Equal([0, 0], new KimiLengthReward(2).Score(Of((50, false), (150, true))));
    }

    [Fact]
    public void When_every_sample_has_the_same_length_only_correctness_counts()
    {
        // L_max = L_min = 80 → λ = 0 for every sample.
        Equal([1, 0, 1], new KimiLengthReward(1).Score(Of((80, true), (80, false), (80, true))));
    }

    [Fact]
    public void A_single_sample_has_no_length_term()
    {
        Equal([1], new KimiLengthReward(1).Score(Of((40, true))));
        Equal([0], new KimiLengthReward(1).Score(Of((40, false))));
    }

    [Fact]
    public void An_all_wrong_group_only_loses_for_length()
    {
        // λ(10) = 0.5, λ(20) = 0, λ(30) = −0.5 → min(0, λ): 0, 0, −0.5.
        Equal([0, 0, -0.5], new KimiLengthReward(1).Score(Of((10, false), (20, false), (30, false))));
    }

    [Fact]
    public void An_empty_completion_is_the_shortest_of_the_group()
    {
        // L_min = 0, L_max = 100: λ(0) = 0.5, λ(100) = −0.5.
        Equal([1.5, 0.5], new KimiLengthReward(1).Score(Of((0, true), (100, true))));
    }
}

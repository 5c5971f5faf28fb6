using PrunerPipeline.RewardService.LengthRewards;
using static PrunerPipeline.Services.Tests.Rewards.LengthRewards.Groups;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

/// <summary>thinkprune: r = 1[correct] if L ≤ limit(step), else 0; the limit tightens by round.</summary>
public class When_the_thinkprune_reward_is_computed
{
    // The paper's 4k → 3k → 2k scaled to 400 → 300 → 200 tokens, 10 steps a round.
    private readonly ThinkPruneReward reward = new(LengthLimitSchedule.ThinkPruneRounds(firstLimit: 400, stepsPerRound: 10));

    [Fact]
    public void The_rounds_keep_the_papers_four_three_two_proportions()
    {
        var schedule = LengthLimitSchedule.ThinkPruneRounds(400, 10);

        Assert.Equal(new LengthLimitSchedule.Stage[] { new(0, 400), new(10, 300), new(20, 200) }, schedule.Stages);
        Assert.Equal(400, schedule.LimitAt(0));
        Assert.Equal(400, schedule.LimitAt(9));
        Assert.Equal(300, schedule.LimitAt(10));
        Assert.Equal(300, schedule.LimitAt(19));
        Assert.Equal(200, schedule.LimitAt(20));
        Assert.Equal(200, schedule.LimitAt(1_000));
    }

    [Fact]
    public void Correct_solutions_over_the_current_limit_earn_nothing()
    {
        (int, bool)[] samples = [(150, true), (250, true), (350, true), (450, true), (100, false)];

        Equal([1, 1, 1, 0, 0], reward.Score(At(0, samples)));  // limit 400
        Equal([1, 1, 0, 0, 0], reward.Score(At(10, samples))); // limit 300
        Equal([1, 0, 0, 0, 0], reward.Score(At(25, samples))); // limit 200
    }

    [Fact]
    public void A_solution_exactly_at_the_limit_still_counts()
    {
        Equal([1, 0], reward.Score(At(10, (300, true), (301, true))));
    }

    [Fact]
    public void An_all_wrong_group_and_an_empty_completion_follow_correctness()
    {
        Equal([0, 0], reward.Score(At(0, (10, false), (20, false))));
        Equal([1], reward.Score(At(30, (0, true))));
    }

    [Fact]
    public void A_schedule_that_loosens_or_does_not_start_at_step_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthLimitSchedule([new(5, 400)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthLimitSchedule([new(0, 300), new(10, 400)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthLimitSchedule([new(0, 400), new(0, 300)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthLimitSchedule([new(0, 0)]));
        Assert.Throws<ArgumentException>(() => new LengthLimitSchedule([]));
    }
}

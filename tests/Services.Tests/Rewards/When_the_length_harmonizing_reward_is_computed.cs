using PrunerPipeline.RewardService;

namespace PrunerPipeline.Services.Tests.Rewards;

/// <summary>R_LH(x,y) = L̄_ref(x)/L(y) − 1 + λ(A(x,y) − Ā_ref(x)), checked against values worked out by hand.</summary>
public class When_the_length_harmonizing_reward_is_computed
{
    private const double Precision = 1e-12;

    [Fact]
    public void A_mixed_problem_rewards_short_correct_solutions_most()
    {
        // Lengths 100, 200, 300, 400; correct, wrong, correct, wrong → L̄_ref = 250, Ā_ref = 0.5; λ = 2.
        var samples = new[] { (100, true), (200, false), (300, true), (400, false) };
        var baseline = LengthHarmonizingReward.Baseline(samples);
        var reward = new LengthHarmonizingReward(lambda: 2);

        Assert.Equal(250, baseline.MeanLength, Precision);
        Assert.Equal(0.5, baseline.MeanAccuracy, Precision);
        Assert.Equal(2.5, reward.Score(baseline, 100, true), Precision);        // 2.5 − 1 + 2·0.5
        Assert.Equal(-0.75, reward.Score(baseline, 200, false), Precision);     // 1.25 − 1 − 2·0.5
        Assert.Equal(5.0 / 6.0, reward.Score(baseline, 300, true), Precision);  // 0.8333 − 1 + 1
        Assert.Equal(-1.375, reward.Score(baseline, 400, false), Precision);    // 0.625 − 1 − 1
    }

    [Fact]
    public void On_a_problem_every_sample_gets_wrong_only_length_counts()
    {
        // Lengths 50 and 150, both wrong → L̄_ref = 100, Ā_ref = 0: the accuracy term is λ·(0 − 0) = 0.
        var baseline = LengthHarmonizingReward.Baseline([(50, false), (150, false)]);
        var reward = new LengthHarmonizingReward(lambda: 2);

        Assert.Equal(0, baseline.MeanAccuracy, Precision);
        Assert.Equal(1.0, reward.Score(baseline, 50, false), Precision);         // 100/50 − 1
        Assert.Equal(-1.0 / 3.0, reward.Score(baseline, 150, false), Precision); // 100/150 − 1
        // A correct solution to a problem the reference never solves earns the full λ.
        Assert.Equal(2.0, reward.Score(baseline, 100, true), Precision);         // 100/100 − 1 + 2·(1 − 0)
    }

    [Fact]
    public void On_a_problem_every_sample_gets_right_brevity_dominates()
    {
        // Lengths 80 and 120, both right → L̄_ref = 100, Ā_ref = 1: a correct answer earns nothing extra.
        var baseline = LengthHarmonizingReward.Baseline([(80, true), (120, true)]);
        var reward = new LengthHarmonizingReward(lambda: 2);

        Assert.Equal(1, baseline.MeanAccuracy, Precision);
        Assert.Equal(0.25, reward.Score(baseline, 80, true), Precision);          // 100/80 − 1
        Assert.Equal(-1.0 / 6.0, reward.Score(baseline, 120, true), Precision);   // 100/120 − 1
        // Getting an easy problem wrong costs the full λ.
        Assert.Equal(-2.0, reward.Score(baseline, 100, false), Precision);        // 0 + 2·(0 − 1)
    }

    [Fact]
    public void Lambda_weighs_only_the_accuracy_term()
    {
        var baseline = new ReferenceBaseline(MeanLength: 200, MeanAccuracy: 0.25);

        Assert.Equal(1.0, new LengthHarmonizingReward(0).Score(baseline, 100, true), Precision);   // 2 − 1 + 0
        Assert.Equal(4.75, new LengthHarmonizingReward(5).Score(baseline, 100, true), Precision);  // 2 − 1 + 5·0.75
    }

    [Fact]
    public void An_empty_completion_counts_as_one_token_instead_of_dividing_by_zero()
    {
        var baseline = new ReferenceBaseline(MeanLength: 10, MeanAccuracy: 0);

        Assert.Equal(9.0, new LengthHarmonizingReward(2).Score(baseline, 0, false), Precision);
    }

    [Fact]
    public void A_negative_lambda_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LengthHarmonizingReward(-1));
        Assert.Equal("lambda", error.ParamName);
    }
}

using PrunerPipeline.EvalService.Metrics;

namespace PrunerPipeline.Services.Tests.Eval;

public class When_scoring_accuracy_and_efficiency
{
    [Fact]
    public void The_paper_table_variant_reproduces_Marco_o1_fast_solving_on_MATH()
    {
        // Paper Table 2, Marco-o1 MATH: reference 73.8 % / 1156 tokens, Fast-solving prompt 71.0 % / 1113 tokens → AES 0.15.
        var metrics = AccuracyEfficiencyScore.Compute(referenceAccuracy: 73.8, referenceLength: 1156, accuracy: 71.0, length: 1113);

        Assert.Equal(43.0 / 1156, metrics.DeltaLength, 10);
        Assert.Equal(-2.8 / 73.8, metrics.DeltaAccuracy, 10);
        Assert.Equal(0.15, Math.Round(metrics.AesPaper, 2));
        // The formula penalises the accuracy drop with γ = 5: 0.0372 − 5 · 0.0379.
        Assert.Equal(43.0 / 1156 - 5 * (2.8 / 73.8), metrics.Aes, 10);
        Assert.True(metrics.Aes < 0);
    }

    [Fact]
    public void An_accuracy_gain_counts_three_times_in_both_variants()
    {
        // 50 % → 60 % (ΔA = +0.2), 200 → 100 tokens (ΔL = 0.5): 0.5 + 3 · 0.2 = 1.1.
        var metrics = AccuracyEfficiencyScore.Compute(0.5, 200, 0.6, 100);

        Assert.Equal(0.5, metrics.DeltaLength, 12);
        Assert.Equal(0.2, metrics.DeltaAccuracy, 12);
        Assert.Equal(1.1, metrics.Aes, 12);
        Assert.Equal(1.1, metrics.AesPaper, 12);
    }

    [Fact]
    public void A_longer_and_less_accurate_model_scores_below_zero()
    {
        // 80 % → 60 % (ΔA = −0.25), 100 → 150 tokens (ΔL = −0.5): formula −0.5 − 5 · 0.25 = −1.75, paper −0.5 + 0.75 = 0.25.
        var metrics = AccuracyEfficiencyScore.Compute(0.8, 100, 0.6, 150);

        Assert.Equal(-1.75, metrics.Aes, 12);
        Assert.Equal(0.25, metrics.AesPaper, 12);
    }

    [Fact]
    public void The_reference_against_itself_scores_zero()
    {
        var metrics = AccuracyEfficiencyScore.Compute(0.7, 321, 0.7, 321);

        Assert.Equal(new EfficiencyMetrics(0, 0, 0, 0), metrics);
    }

    [Fact]
    public void A_reference_without_length_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AccuracyEfficiencyScore.Compute(0.5, 0, 0.5, 10));
        Assert.Equal("referenceLength", error.ParamName);
    }
}

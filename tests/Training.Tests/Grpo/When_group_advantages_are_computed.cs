using PrunerPipeline.Contracts;
using PrunerPipeline.Training.Grpo;

namespace PrunerPipeline.Training.Tests.Grpo;

/// <summary>Standardised: Â = (r − mean)/(std + ε), population std; MeanOnly (Dr. GRPO): Â = r − mean.</summary>
public sealed class When_group_advantages_are_computed
{
    private const double Precision = 1e-12;

    private static void Equal(double[] expected, double[] actual, double precision = Precision)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= precision, $"sample {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Two_right_and_two_wrong_standardise_to_plus_and_minus_one()
    {
        // mean = 0.5; population std = √((4 · 0.25)/4) = 0.5 → ±0.5/0.5 = ±1 (a sample std, √(1/3) = 0.577, would give ±0.866).
        Equal([1, -1, -1, 1], GroupAdvantages.Compute([1, 0, 0, 1], GroupNormalisation.Standardised, epsilon: 0));
        // With the default ε = 1e-6: 0.5/(0.5 + 1e-6) = 0.999998.
        Equal([0.999998, -0.999998, -0.999998, 0.999998], GroupAdvantages.Compute([1, 0, 0, 1], GroupNormalisation.Standardised), 1e-9);
    }

    [Fact]
    public void Mean_only_subtracts_the_group_mean_and_keeps_the_scale()
    {
        Equal([0.5, -0.5, -0.5, 0.5], GroupAdvantages.Compute([1, 0, 0, 1], GroupNormalisation.MeanOnly));
        // Doubling the rewards doubles Dr. GRPO's advantages but leaves the standardised ones unchanged.
        Equal([1, -1, -1, 1], GroupAdvantages.Compute([2, 0, 0, 2], GroupNormalisation.MeanOnly));
        Equal([1, -1, -1, 1], GroupAdvantages.Compute([2, 0, 0, 2], GroupNormalisation.Standardised, epsilon: 0));
    }

    [Fact]
    public void One_right_out_of_four_gets_the_larger_share()
    {
        // mean = 0.25; variance = (0.75² + 3 · 0.25²)/4 = (0.5625 + 0.1875)/4 = 0.1875; std = √0.1875 = √3/4.
        // Standardised: 0.75/(√3/4) = √3, −0.25/(√3/4) = −1/√3. Mean-only: 0.75, −0.25.
        var root3 = Math.Sqrt(3);
        Equal([root3, -1 / root3, -1 / root3, -1 / root3], GroupAdvantages.Compute([1, 0, 0, 0], GroupNormalisation.Standardised, epsilon: 0));
        Equal([0.75, -0.25, -0.25, -0.25], GroupAdvantages.Compute([1, 0, 0, 0], GroupNormalisation.MeanOnly));
    }

    [Theory]
    [InlineData(GroupNormalisation.Standardised)]
    [InlineData(GroupNormalisation.MeanOnly)]
    public void A_group_of_equal_rewards_gets_exactly_zero(GroupNormalisation normalisation)
    {
        // 0.1 · 3 / 3 is not exactly 0.1 in binary: without the guard r − mean would be a residue of about 1e-17.
        Assert.All(GroupAdvantages.Compute([0.1, 0.1, 0.1], normalisation), a => Assert.Equal(0.0, a));
        Assert.All(GroupAdvantages.Compute([1, 1, 1, 1], normalisation), a => Assert.Equal(0.0, a));
        Assert.Equal([0.0], GroupAdvantages.Compute([3.5], normalisation));
    }

    [Fact]
    public void Bad_input_is_refused_by_name()
    {
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([], GroupNormalisation.Standardised));
        Assert.Equal("rewards", Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantages.Compute([1, double.NaN], GroupNormalisation.MeanOnly)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantages.Compute([1, 0], GroupNormalisation.Standardised, -1)).ParamName);
    }
}

using PrunerPipeline.RewardService;
using PrunerPipeline.RewardService.LengthRewards;

namespace PrunerPipeline.Services.Tests.Rewards.LengthRewards;

internal static class Groups
{
    public const double Precision = 1e-12;

    /// <summary>A group from (length, correct) pairs.</summary>
    public static RewardGroup Of(params (int Length, bool Correct)[] samples) =>
        new(samples.Select(s => new SampleOutcome(s.Length, s.Correct)).ToArray());

    public static RewardGroup At(int step, params (int Length, bool Correct)[] samples) =>
        new(samples.Select(s => new SampleOutcome(s.Length, s.Correct)).ToArray(), step: step);

    public static RewardGroup WithTarget(int target, params (int Length, bool Correct)[] samples) =>
        new(samples.Select(s => new SampleOutcome(s.Length, s.Correct)).ToArray(), targetLength: target);

    public static RewardGroup Against(ReferenceBaseline reference, params (int Length, bool Correct)[] samples) =>
        new(samples.Select(s => new SampleOutcome(s.Length, s.Correct)).ToArray(), reference);

    public static void Equal(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Precision, $"sample {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}

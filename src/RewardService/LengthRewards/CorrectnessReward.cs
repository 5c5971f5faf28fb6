namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>none</c>: the plain verifiable reward r = 1[correct], with no length term — the control every length reward is
/// compared against (the outcome reward of DeepSeekMath's GRPO, arXiv 2402.03300, and of DeepSeek-R1).
/// </summary>
public sealed class CorrectnessReward : ILengthReward
{
    public const string RegistryKey = "none";

    public string Key => RegistryKey;

    public IReadOnlyList<double> Score(RewardGroup group) =>
        group.Samples.Select(s => s.Correct ? 1.0 : 0.0).ToArray();
}

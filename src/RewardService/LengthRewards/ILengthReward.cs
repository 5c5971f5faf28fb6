namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// A reward that scores one problem's G online samples together (the group GRPO normalises over), trading correctness
/// against length. Implementations are pure: the same group gives the same rewards.
/// </summary>
public interface ILengthReward
{
    /// <summary>The registry key (<see cref="LengthRewardRegistry"/>), e.g. "kimi".</summary>
    string Key { get; }

    /// <summary>One reward per sample of <paramref name="group"/>, in the order of <see cref="RewardGroup.Samples"/>.</summary>
    IReadOnlyList<double> Score(RewardGroup group);
}

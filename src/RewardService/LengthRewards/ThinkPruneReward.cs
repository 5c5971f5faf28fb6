namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>
/// <c>thinkprune</c>: the length-limited reward of ThinkPrune ("ThinkPrune: Pruning Long Chain-of-Thought of LLMs via
/// Reinforcement Learning", Hou et al., arXiv 2504.01296). A solution over the token limit is cut off and earns 0;
/// one within it earns its correctness reward:
/// <code>
///     r_i = 1[correct_i]   if L_i ≤ limit(step)
///         = 0              otherwise
/// </code>
/// The limit follows <see cref="LengthLimitSchedule"/>: the paper's iterative pruning runs rounds of RL with a stricter
/// limit each (4k → 3k → 2k tokens); <see cref="LengthLimitSchedule.ThinkPruneRounds"/> scales those rounds to our lengths.
/// <para>
/// Deviation: the paper enforces the limit by stopping generation there, so an over-long solution never has an answer;
/// here the limit is applied to the measured length, so a sampler with a larger max-new-tokens gives the same reward.
/// </para>
/// </summary>
public sealed class ThinkPruneReward(LengthLimitSchedule schedule) : ILengthReward
{
    public const string RegistryKey = "thinkprune";

    public string Key => RegistryKey;

    public LengthLimitSchedule Schedule { get; } = schedule;

    public IReadOnlyList<double> Score(RewardGroup group)
    {
        var limit = Schedule.LimitAt(group.Step);
        return group.Samples.Select(s => s.Correct && s.Length <= limit ? 1.0 : 0.0).ToArray();
    }
}

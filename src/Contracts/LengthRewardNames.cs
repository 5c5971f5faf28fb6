namespace PrunerPipeline.Contracts;

/// <summary>
/// The run's <c>lengthReward</c> keys (RewardService's <c>LengthRewardRegistry</c> implements each; a test keeps the two
/// lists equal). Here so the orchestrator can validate a run without referencing the reward service.
/// </summary>
public static class LengthRewardNames
{
    /// <summary>O1-Pruner's R_LH against the reference baseline: the default.</summary>
    public const string Rlh = "rlh";

    /// <summary>Kimi k1.5's length penalty over the group.</summary>
    public const string Kimi = "kimi";

    /// <summary>L1-Max's budget reward; online, its target length is also written into each prompt (<see cref="LengthTargetRange"/>).</summary>
    public const string L1Max = "l1max";

    /// <summary>The rewards that need <see cref="StartPruningRun.LengthTarget"/> (L1-Max's n_target, ThinkPrune's limit).</summary>
    public static IReadOnlyList<string> NeedingTarget { get; } = [L1Max, "thinkprune"];

    public static IReadOnlyList<string> All { get; } = ["none", Kimi, "shorterbetter", L1Max, "thinkprune", Rlh];
}

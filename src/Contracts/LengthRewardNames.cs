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

    /// <summary>The rewards that need <see cref="StartPruningRun.LengthTarget"/> (L1-Max's n_target, ThinkPrune's limit).</summary>
    public static IReadOnlyList<string> NeedingTarget { get; } = ["l1max", "thinkprune"];

    public static IReadOnlyList<string> All { get; } = ["none", Kimi, "shorterbetter", "l1max", "thinkprune", Rlh];
}

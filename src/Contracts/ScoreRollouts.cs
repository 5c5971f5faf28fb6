namespace PrunerPipeline.Contracts;

/// <summary>Command (saga → reward service): grade one sampled shard and attach R_LH; answered by <see cref="RewardsScored"/>.</summary>
public record ScoreRollouts
{
    public required string RunId { get; init; }
    public required int ShardIndex { get; init; }
    /// <summary>The shard's rollouts (samples/{sampleSetId}/rollouts/shard-{i:D4}.jsonl).</summary>
    public required string RolloutsBlob { get; init; }
    /// <summary>The training dataset the shard's problem ids (and gold answers) come from.</summary>
    public required string Dataset { get; init; }
    /// <summary>λ, the accuracy weight in R_LH.</summary>
    public required double Lambda { get; init; }
    /// <summary>
    /// The same shard's rewards blob of the run's <see cref="StartPruningRun.BaselineRun"/>: L̄_ref and Ā_ref per problem
    /// come from it instead of from this shard's samples; null = this shard's own.
    /// </summary>
    public string? BaselineRewardsBlob { get; init; }
    /// <summary>
    /// Online runs: the run whose scored reference samples give L̄_ref and Ā_ref per problem (every rewards shard of it is
    /// read, by problem id); null = each group's own samples.
    /// </summary>
    public string? BaselineRun { get; init; }
    /// <summary>The run's <see cref="StartPruningRun.LengthReward"/>; null = "rlh".</summary>
    public string? LengthReward { get; init; }
    /// <summary>The run's <see cref="StartPruningRun.LengthTarget"/>.</summary>
    public int? LengthTarget { get; init; }
    /// <summary>Online methods: the policy update the shard trains (1-based; 0 = offline), for rewards whose limit follows a schedule (thinkprune).</summary>
    public int Step { get; init; }
    /// <summary>Online methods: the run's <see cref="StartPruningRun.OnlineSteps"/> (0 = offline).</summary>
    public int TotalSteps { get; init; }
}

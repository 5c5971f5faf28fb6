namespace PrunerPipeline.Contracts;

/// <summary>Event: a shard's samples are graded and carry R_LH.</summary>
public record RewardsScored
{
    public required string RunId { get; init; }
    public required int ShardIndex { get; init; }
    public required string RewardsBlob { get; init; }
    public required int Samples { get; init; }
    public required double Accuracy { get; init; }
    public required double MeanLength { get; init; }
    public required double RewardMean { get; init; }
    public required double RewardStd { get; init; }
}

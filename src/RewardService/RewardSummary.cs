namespace PrunerPipeline.RewardService;

/// <summary>Summary figures of a scored shard, published in <c>RewardsScored</c>.</summary>
public sealed record RewardSummary(int Samples, double Accuracy, double MeanLength, double RewardMean, double RewardStd);

namespace PrunerPipeline.RewardService.LengthRewards;

/// <summary>What a length reward needs of one sampled solution: its length in completion tokens and whether it was graded correct.</summary>
public readonly record struct SampleOutcome(int Length, bool Correct);

namespace PrunerPipeline.Training.Grpo;

/// <summary>A batch split by <see cref="PolicyStaleness.Partition{T}"/>: the groups that may train now, and those to sample again.</summary>
public sealed record StalenessPartition<T>(IReadOnlyList<T> Usable, IReadOnlyList<T> Resample);

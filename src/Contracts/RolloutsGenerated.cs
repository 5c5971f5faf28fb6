namespace PrunerPipeline.Contracts;

/// <summary>Event: a shard's samples are in the artifact store.</summary>
public record RolloutsGenerated
{
    public required string RunId { get; init; }
    public required string SampleSetId { get; init; }
    public required int ShardIndex { get; init; }
    /// <summary>Blob name of the shard (JSON lines, one sample a line).</summary>
    public required string RolloutsBlob { get; init; }
    public required int Problems { get; init; }
    public required int Samples { get; init; }
    public required long Tokens { get; init; }
    public required double Seconds { get; init; }
    /// <summary>The command's <see cref="GenerateRollouts.PolicyVersion"/>: which policy sampled the shard.</summary>
    public int PolicyVersion { get; init; }
}

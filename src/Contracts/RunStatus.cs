namespace PrunerPipeline.Contracts;

/// <summary>Response: a run's progress as the run saga knows it.</summary>
public record RunStatus
{
    public required string RunId { get; init; }
    /// <summary>Unknown, Sampling, Scoring, Training, Evaluating, Completed, Faulted, Cancelled, Rejected.</summary>
    public required string State { get; init; }
    public int ShardsTotal { get; init; }
    public int ShardsSampled { get; init; }
    public int ShardsScored { get; init; }
    public int CheckpointsPublished { get; init; }
    public string? ReportBlob { get; init; }
    public string? Reason { get; init; }
}

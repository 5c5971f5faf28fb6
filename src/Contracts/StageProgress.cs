namespace PrunerPipeline.Contracts;

/// <summary>Event: progress of long work (sampling a shard, training, evaluating), for status and progress bars.</summary>
public record StageProgress
{
    public required string RunId { get; init; }
    /// <summary>"sampling", "scoring", "training" or "evaluating".</summary>
    public required string Stage { get; init; }
    public required long Done { get; init; }
    public required long Total { get; init; }
    public string? Detail { get; init; }
}

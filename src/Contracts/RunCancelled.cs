namespace PrunerPipeline.Contracts;

/// <summary>Event: the run was cancelled.</summary>
public record RunCancelled
{
    public required string RunId { get; init; }
    public required string Reason { get; init; }
}

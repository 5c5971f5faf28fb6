namespace PrunerPipeline.Contracts;

/// <summary>Event: the run stopped because a step failed; the reason says which and why.</summary>
public record RunFaulted
{
    public required string RunId { get; init; }
    public required string Stage { get; init; }
    public required string Reason { get; init; }
}

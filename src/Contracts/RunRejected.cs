namespace PrunerPipeline.Contracts;

/// <summary>Event: the run failed validation. Each reason names the field and what is allowed.</summary>
public record RunRejected
{
    public required string RunId { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
}

namespace PrunerPipeline.Contracts;

/// <summary>Request: the current state of a run (answered with <see cref="RunStatus"/>).</summary>
public record GetRunStatus
{
    public required string RunId { get; init; }
}

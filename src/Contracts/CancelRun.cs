namespace PrunerPipeline.Contracts;

/// <summary>Command: stop a run; in-flight work is abandoned at the next safe point.</summary>
public record CancelRun
{
    public required string RunId { get; init; }
    public string Reason { get; init; } = "cancelled by user";
}

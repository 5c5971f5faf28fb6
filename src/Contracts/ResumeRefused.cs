namespace PrunerPipeline.Contracts;

/// <summary>Answer to <see cref="ResumeRun"/>: the run cannot be resumed (unknown, or not Faulted), with the reason in one line.</summary>
public record ResumeRefused
{
    public required string RunId { get; init; }
    /// <summary>The run's state ("Unknown" when the orchestrator does not know it).</summary>
    public required string State { get; init; }
    public required string Reason { get; init; }
}

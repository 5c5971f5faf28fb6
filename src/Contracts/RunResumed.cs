namespace PrunerPipeline.Contracts;

/// <summary>Answer to <see cref="ResumeRun"/>: the run continues at <see cref="Stage"/> ("sampling", "scoring", "training", "evaluating").</summary>
public record RunResumed
{
    public required string RunId { get; init; }
    public required string Stage { get; init; }
    /// <summary>What the stage still waits for, e.g. "2 of 8 shards to sample".</summary>
    public required string Pending { get; init; }
}

namespace PrunerPipeline.Contracts;

/// <summary>
/// Request: continue a Faulted run from its last completed stage (samples, rewards and checkpoints already stored are
/// reused). Answered with <see cref="RunResumed"/> or <see cref="ResumeRefused"/>.
/// </summary>
public record ResumeRun
{
    public required string RunId { get; init; }
}

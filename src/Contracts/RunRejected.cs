namespace PrunerPipeline.Contracts;

/// <summary>Event: the run failed validation. Each reason names the field and what is allowed.</summary>
public record RunRejected
{
    public required string RunId { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>
    /// The message id of the <see cref="StartPruningRun"/> this answers (null when it had none). A follower that submitted
    /// the run trusts only the answer to its own submission, so another request's answer (or a forged one) for the
    /// same run id cannot end it.
    /// </summary>
    public Guid? SubmissionId { get; init; }
}

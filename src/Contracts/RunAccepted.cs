namespace PrunerPipeline.Contracts;

/// <summary>Event: the run passed validation; the saga starts it. Carries what the saga and followers need.</summary>
public record RunAccepted
{
    public required string RunId { get; init; }
    public required int Shards { get; init; }
    public required int Problems { get; init; }
    /// <summary>The pre-sampling's sample set (null when the method samples nothing).</summary>
    public string? SampleSetId { get; init; }
    /// <summary>Blob holding the accepted <see cref="StartPruningRun"/> (runs/{run}/run.json): the record of the run, not read back by services.</summary>
    public required string RunSpecBlob { get; init; }
    /// <summary>The accepted settings, parsed and validated once.</summary>
    public required StartPruningRun Run { get; init; }
    /// <summary>
    /// The message id of the <see cref="StartPruningRun"/> this answers (null when it had none). A follower that submitted
    /// the run trusts only the answer to its own submission, so another request's answer (or a forged one) for the
    /// same run id cannot end it.
    /// </summary>
    public Guid? SubmissionId { get; init; }
}

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
}

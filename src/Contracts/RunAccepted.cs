namespace PrunerPipeline.Contracts;

/// <summary>Event: the run passed validation and its shards were sent.</summary>
public record RunAccepted
{
    public required string RunId { get; init; }
    public required int Shards { get; init; }
    public required int Problems { get; init; }
    /// <summary>Blob holding the accepted <see cref="StartPruningRun"/> (runs/{run}/run.json); every service reads settings from it.</summary>
    public required string RunSpecBlob { get; init; }
}

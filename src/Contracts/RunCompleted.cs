namespace PrunerPipeline.Contracts;

/// <summary>Event: the run finished; its report is in the artifact store.</summary>
public record RunCompleted
{
    public required string RunId { get; init; }
    public required string ReportBlob { get; init; }
    public required double Accuracy { get; init; }
    public required double MeanLength { get; init; }
    public required double Aes { get; init; }
    /// <summary>The final checkpoint's artifact-store prefix; null when the method trains nothing.</summary>
    public string? FinalCheckpoint { get; init; }
    /// <summary>
    /// An iterated run (<see cref="StartPruningRun.Rounds"/> ≥ 2): every round's result in order, the last one being
    /// this event's figures; null for a one-round run.
    /// </summary>
    public IReadOnlyList<RoundResult>? Rounds { get; init; }
    /// <summary>Completion tokens the method sampled for training (every accepted shard once; rounds and online updates included): its sampling cost.</summary>
    public long TrainingTokensSampled { get; init; }
}

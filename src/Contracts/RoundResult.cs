namespace PrunerPipeline.Contracts;

/// <summary>One round of an iterated run: the run that did it, its final checkpoint and its evaluation (against the original reference).</summary>
public record RoundResult
{
    public required int Round { get; init; }
    public required string RunId { get; init; }
    public string? Checkpoint { get; init; }
    public required string ReportBlob { get; init; }
    public required double Accuracy { get; init; }
    public required double MeanLength { get; init; }
    public required double Aes { get; init; }
    /// <summary>Completion tokens the round sampled for its training.</summary>
    public long TrainingTokensSampled { get; init; }
}

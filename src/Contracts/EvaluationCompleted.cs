namespace PrunerPipeline.Contracts;

/// <summary>Event: a checkpoint was evaluated against the reference model.</summary>
public record EvaluationCompleted
{
    public required string RunId { get; init; }
    public required string Checkpoint { get; init; }
    public required bool IsFinal { get; init; }
    /// <summary>Blob of the evaluation report (runs/{run}/eval/step-{n}/report.json).</summary>
    public required string ReportBlob { get; init; }
    public required double Accuracy { get; init; }
    public required double MeanLength { get; init; }
    public required double ReferenceAccuracy { get; init; }
    public required double ReferenceMeanLength { get; init; }
    public required double Aes { get; init; }
}

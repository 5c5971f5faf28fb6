namespace PrunerPipeline.Contracts;

/// <summary>Event: the run finished; its report is in the artifact store.</summary>
public record RunCompleted
{
    public required string RunId { get; init; }
    public required string ReportBlob { get; init; }
    public required double Accuracy { get; init; }
    public required double MeanLength { get; init; }
    public required double Aes { get; init; }
}

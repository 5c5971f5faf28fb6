namespace PrunerPipeline.EvalService.Reports;

/// <summary>The length-disharmony pilot in a report: accuracy and mean length per length quartile, shortest first.</summary>
public sealed record PilotSummary(int Problems, int SamplesPerProblem, IReadOnlyList<double> QuartileAccuracy, IReadOnlyList<double> QuartileMeanLength);

namespace PrunerPipeline.EvalService.Metrics;

/// <summary>Accuracy and length for the problems of one difficulty level (the paper's Fig. 4 idea).</summary>
public sealed record DifficultyBreakdown(int Level, int Problems, double Accuracy, double MeanLength);

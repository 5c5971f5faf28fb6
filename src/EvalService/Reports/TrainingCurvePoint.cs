namespace PrunerPipeline.EvalService.Reports;

/// <summary>One optimizer step of a training curve (a line of the trainer's <c>metrics.jsonl</c>).</summary>
public sealed record TrainingCurvePoint(int Step, double Loss, double MeanReward, double MeanLength);

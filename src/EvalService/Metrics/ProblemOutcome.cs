namespace PrunerPipeline.EvalService.Metrics;

/// <summary>One evaluated solution: a problem, the model's answer and its length.</summary>
public sealed record ProblemOutcome(string ProblemId, string Dataset, int? Level, bool Correct, int Length, string Extracted, string FinishReason);

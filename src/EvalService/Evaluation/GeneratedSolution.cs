namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>A model's answer: its text, its length in tokens (stop token excluded) and why it ended ("stop" or "length").</summary>
public sealed record GeneratedSolution(string Text, int Length, string FinishReason);

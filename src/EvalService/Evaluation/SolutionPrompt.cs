namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>One chat turn to answer: an optional system prompt and the user's message.</summary>
public sealed record SolutionPrompt(string? System, string User);

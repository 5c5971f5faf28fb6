namespace PrunerPipeline.Datasets.Prompts;

/// <summary>One chat turn to answer: an optional system prompt and the user's message (rendered with the model's chat template).</summary>
public sealed record SolutionPrompt(string? System, string User);

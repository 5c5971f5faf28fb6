namespace PrunerPipeline.RolloutService;

/// <summary>One problem of a shard with its rendered prompt.</summary>
public sealed record RolloutPromptSet(string ProblemId, string Prompt);

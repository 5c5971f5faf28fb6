namespace PrunerPipeline.Grading.Answers;

/// <summary>The settings of one comparison: whether either side was a percentage, and the grading options.</summary>
internal sealed record Comparison(bool Percent, GradingOptions Options);

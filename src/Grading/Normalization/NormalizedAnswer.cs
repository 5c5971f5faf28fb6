namespace PrunerPipeline.Grading.Normalization;

/// <summary>An answer after normalisation; <see cref="IsPercent"/> remembers a removed % so 5% can equal 0.05.</summary>
internal sealed record NormalizedAnswer(string Text, bool IsPercent);

namespace PrunerPipeline.Grading;

/// <summary>The verdict on one prediction: whether it matches the gold answer, and the final answer read from it.</summary>
public sealed record GradeResult(bool Correct, string Extracted);

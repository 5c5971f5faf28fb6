namespace PrunerPipeline.Grading;

/// <summary>
/// The verdict on one prediction: whether it matches the gold answer, the final answer read from it, and when it does
/// not match, why (no answer found, a different answer, the time budget ran out, …).
/// </summary>
public sealed record GradeResult(bool Correct, string Extracted, string? Reason = null);

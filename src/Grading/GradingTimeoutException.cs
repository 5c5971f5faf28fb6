namespace PrunerPipeline.Grading;

/// <summary>The per-case time budget ran out; the case is judged wrong with this as its reason.</summary>
internal sealed class GradingTimeoutException() : Exception("the grading time budget ran out");

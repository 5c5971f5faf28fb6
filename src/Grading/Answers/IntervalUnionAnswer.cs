namespace PrunerPipeline.Grading.Answers;

/// <summary>A union of intervals, "(-\infty, 2) \cup (3, \infty)"; the order of the parts does not matter.</summary>
internal sealed record IntervalUnionAnswer(string Key, IReadOnlyList<AnswerValue> Parts) : AnswerValue(Key);

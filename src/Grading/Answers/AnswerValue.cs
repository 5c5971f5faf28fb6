namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// The structure read from a normalised answer. <see cref="Key"/> is its text without whitespace:
/// equal keys are equal answers whatever the structure.
/// </summary>
internal abstract record AnswerValue(string Key);

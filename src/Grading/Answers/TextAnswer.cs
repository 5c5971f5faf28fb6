namespace PrunerPipeline.Grading.Answers;

/// <summary>Anything else ("Evelyn", "ellipse", "204_5"): compared as text, ignoring case and whitespace.</summary>
internal sealed record TextAnswer(string Key) : AnswerValue(Key);

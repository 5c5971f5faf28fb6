namespace PrunerPipeline.Grading.Answers;

/// <summary>A set "\{1,3,5\}" or a list of all solutions "3, 5, 7", "1 \pm \sqrt{19}", "5 or 9": order does not matter.</summary>
internal sealed record UnorderedAnswer(string Key, IReadOnlyList<AnswerValue> Items) : AnswerValue(Key);

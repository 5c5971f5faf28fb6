namespace PrunerPipeline.Grading.Answers;

/// <summary>A multiple-choice letter: "B", "(C)", "\text{(E)}".</summary>
internal sealed record ChoiceAnswer(string Key, char Letter) : AnswerValue(Key);

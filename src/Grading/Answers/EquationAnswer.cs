using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>An equation such as "5x - 7y + 11z + 4 = 0", kept as left − right; two equations agree when these are proportional.</summary>
internal sealed record EquationAnswer(string Key, MathExpression LeftMinusRight) : AnswerValue(Key);

using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>A number or an algebraic expression: "72", "\frac{3}{4}", "2\sqrt{5}", "x^3+3x-6", "1+2i".</summary>
internal sealed record ExpressionAnswer(string Key, MathExpression Expression) : AnswerValue(Key);

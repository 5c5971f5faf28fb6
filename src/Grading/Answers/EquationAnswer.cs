using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// An equation or a chain of them: "5x - 7y + 11z + 4 = 0", "y = 2x + 3", "(p,q) = (3,2)", "k = 5+5+1 = 11".
/// <see cref="LeftMinusRight"/> (first side − last side, when both are algebra) decides between two equations: they
/// agree when these are proportional. <see cref="LastSide"/> is what an equation means against a plain answer
/// (Math-Verify: a predicted equation is read for its last right-hand side; a gold one only when it is an
/// <see cref="IsAssignment"/> — its left side holds nothing but symbols, "x", "f(x)", "(p,q)", "AB", "|AB|").
/// </summary>
internal sealed record EquationAnswer(string Key, MathExpression? LeftMinusRight, AnswerValue LastSide, bool IsAssignment) : AnswerValue(Key);

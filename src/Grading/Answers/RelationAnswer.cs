using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// An inequality or a chain of them that is not a plain interval of one variable ("-x > -1", "x \neq 3",
/// "f(2) < f(1) < f(4)"): each relation kept as (left − right) with its operator turned to &lt;, ≤ or ≠, so
/// "a > b" and "b < a" read alike (Math-Verify compares relations with flip support).
/// </summary>
internal sealed record RelationAnswer(string Key, IReadOnlyList<Relation> Relations) : AnswerValue(Key);

using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>One relation "<see cref="LeftMinusRight"/> <see cref="Operator"/> 0", the operator one of "&lt;", "&lt;=", "!=".</summary>
internal sealed record Relation(string Operator, MathExpression LeftMinusRight);

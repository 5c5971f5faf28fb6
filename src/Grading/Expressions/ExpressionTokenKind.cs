namespace PrunerPipeline.Grading.Expressions;

internal enum ExpressionTokenKind
{
    Number,
    Letter,
    Command,
    Symbol,
}

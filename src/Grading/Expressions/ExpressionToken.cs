namespace PrunerPipeline.Grading.Expressions;

/// <summary>
/// One token of a math answer: a number, a one-letter variable, a command (<c>\frac</c>, <c>sin</c>) or a symbol.
/// </summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, string Text, double Number = 0)
{
    public bool IsSymbol(char symbol) => Kind == ExpressionTokenKind.Symbol && Text[0] == symbol;

    public bool IsIntegerNumber => Kind == ExpressionTokenKind.Number && !Text.Contains('.');
}

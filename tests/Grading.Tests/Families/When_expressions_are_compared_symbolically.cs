namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Expressions with variables are equal when they are the same function (checked at random points, where Math-Verify
/// simplifies the difference). Cases from huggingface/Math-Verify tests/test_all.py test_complex_math_expressions and
/// tests/test_strict.py (variable names matter unless strict is off).
/// </summary>
public class When_expressions_are_compared_symbolically
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$\\frac{x+2}{7}$", "$\\frac{x}{7}+\\frac{2}{7}$", true },
        { "$\\tan^2(y)+1$", "$\\sec^2(y)$", true },
        { "$\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{15+2\\sqrt{33}}$", "$\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{2\\sqrt{33}+15}$", true },
        { "$(a+5)(b+2)$", "$(+5)(b+2)$", false },
        { "$2$", "$\\frac{1+\\sqrt{5}}{2}$", false },
        { "$4$", "$\\frac{34}{16}+\\frac{\\sqrt{1358}}{16}$", false },
        { "$1\\sqrt{19}$", "$1$", false },
        { "$x+2n+1$", "$x+1$", false },
        { "$(a+5)(b+2)$", "$ab+2a+5b+10$", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Equal_functions_are_equal_answers(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);

    [Fact]
    public void Variable_names_matter_only_when_strict()
    {
        Verdict.Is(false, "$f(x)$", "$f(y)$");
        Verdict.Is(true, "$f(x)$", "$f(y)$", GradingOptions.Default with { Strict = false });
    }
}

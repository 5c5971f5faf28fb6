namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Intervals (open and closed ends matter) and unions (their order does not; a union of finite sets is one set).
/// Cases from huggingface/Math-Verify tests/test_all.py test_sets_handling and test_latex_notation_math, and the README
/// example <c>${1,3} \cup {2,4}$</c> = <c>${1,2,3,4}$</c>.
/// </summary>
public class When_answers_are_intervals_or_unions
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$[0,1)$", "$[0,1)$", true },
        { "$[0,9)$", "$[0,1)$", false },
        { "$(0,9)$", "$[0,9)$", false },
        { "$1$", "$-[0,1)$", false },
        { "${1,3} \\cup {2,4}$", "${1,2,3,4}$", true },
        { "x \\in \\boxed{\\{-1\\} \\cup [0,7)}.$", "x \\in \\boxed{\\{-1\\} \\cup [0,7)}.$", true },
        { "(-\\infty, 2) \\cup (3, \\infty)", "$\\boxed{(3,\\infty)\\cup(-\\infty,2)}$", true },
        { "$(\\frac{3}{5},\\frac{8}{3}]$", "$(0.6,2.6667]$", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Intervals_compare_by_ends_and_unions_by_parts(string gold, string prediction, bool expected) =>
        Verdict.Is(expected, gold, prediction, GradingOptions.Default with { FloatRounding = 2 });
}

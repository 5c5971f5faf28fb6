namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Radicals and π. Cases from huggingface/Math-Verify tests/test_all.py (test_latex_notation: \sqrt3; test_float_precision:
/// √17 against its 15-decimal value at 5 decimals; test_sqrt_precision, issue #41: 4 is not 4√2;
/// test_latex_notation_math: \frac94\pi, \sqrt 2+\sqrt 5).
/// </summary>
public class When_answers_have_roots_and_pi
{
    private static readonly GradingOptions FiveDecimals = GradingOptions.Default with { FloatRounding = 5 };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$\\sqrt{3}$", "$\\sqrt3 $", true },
        { "4.123105625617661", "$\\sqrt{17}$", true },
        { "$4$", "$4\\sqrt{2}$", false },
        { "$\\frac{9}{4}\\pi$", "Therefore $\\boxed{\\frac94\\pi}$.", true },
        { "$\\sqrt{2}+\\sqrt{5}$", "The answer is $\\boxed{\\sqrt 2+\\sqrt 5}$", true },
        { "$\\frac{\\sqrt{3}}{3}$", "$\\boxed{\\frac{1}{\\sqrt{3}}}$", true },
        { "$12\\pi$", "$\\boxed{37.69911}$", true },
        { "$\\sqrt{51}$", "$\\boxed{\\sqrt{53}}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Radicals_and_pi_are_compared_by_value(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction, FiveDecimals);
}

namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// LaTeX styling that does not change the answer: \left/\right, \text{}/\textbf{}/\mathrm{} and trailing unit text,
/// thin spaces \! \, and doubled backslashes. Cases from huggingface/Math-Verify tests/test_all.py
/// (test_latex_notation, test_latex_notation_math, test_math_extraction_edge_cases) and the normalisation rules of
/// latex2sympy2_extended math_normalization.py.
/// </summary>
public class When_latex_is_cleaned_up
{
    private static readonly GradingOptions LatexOnly = GradingOptions.Default with { Targets = ExtractionTargets.Latex };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$1/3$", "$\\left( \\frac{1}{3} \\right)$", true },
        { "$1/3$", "$\\boxed{\\frac{1}{3}}$", true },
        { "$1/3$", "$\\frac{1}{3} \\text{meters}$", true },
        { "$1/3$", "$\\frac{1}{3} \\textbf{meters}$", true },
        { "$1/3$", "$k = \\frac{1}{3}$", true },
        { "$125$ miles", "The distance is $\\boxed{125\\textnormal{ miles}}.$", true },
        { "$\\text{Even}$", "$Even$", true },
        { "$\\\\left(\\\\frac{1}{5},\\\\frac{1}{6}\\\\right)$", "so it is $\\left( \\frac{1}{5}, \\frac{1}{6} \\right)$.", true },
        { "11111111100", "$\\boxed{11,\\! 111,\\! 111,\\! 100}$", true },
        { "$14916$", "The final answer is $14{,}916$. I hope it is correct.", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Styling_is_removed_before_comparing(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction, LatexOnly);
}

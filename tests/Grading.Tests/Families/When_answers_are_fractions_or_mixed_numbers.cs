namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Fractions in every spelling: a/b, \frac, \dfrac, \tfrac, \cfrac, the malformed \frac13 and \frac3{3}, and mixed
/// numbers. Cases from huggingface/Math-Verify tests/test_all.py (test_simple_fraction_notation, test_latex_notation)
/// plus mixed numbers in MATH's style (2\frac{5}{8} is 2 + 5/8, not 2·5/8).
/// </summary>
public class When_answers_are_fractions_or_mixed_numbers
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "10/9", "\\frac{10}{9}", true },
        { "-10/9", "-\\frac{10}{9}", true },
        { "$1/3$", "$\\frac13 $", true },
        { "$1$", "$\\frac3{3} $", true },
        { "$1/3$", "$\\cfrac{1}{3} $", true },
        { "$1/3$", "$\\dfrac{1}{3} $", true },
        { "$1/3$", "$\\tfrac{1}{3} $", true },
        { "$1/3$", "$ 1/3 $", true },
        { "$\\frac{1}{12}$", "$0.0833333333333333$", true },
        { "$2\\frac58$", "$\\boxed{2.625}$", true },
        { "1\\frac{4}{5}", "$\\boxed{\\frac{9}{5}}$", true },
        { "$\\frac{1}{3}$", "$\\boxed{0.33}$", false },
        { "$\\frac{10}{9}$", "$\\boxed{\\frac{9}{10}}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_spelling_of_a_fraction_is_the_same_number(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);

    [Fact]
    public void Float_rounding_decides_how_close_a_decimal_must_be()
    {
        // tests/test_all.py test_precision: 1/3 against 0.3333 is equal at 4 decimals, not at 6.
        Verdict.Is(true, "$\\frac{1}{3}$", "0.3333$", GradingOptions.Default with { FloatRounding = 4 });
        Verdict.Is(false, "$\\frac{1}{3}$", "0.3333$");
    }
}

namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Equations against values and against each other. Math-Verify reads a predicted equation for its last right-hand
/// side, and a gold one only when it is an assignment (symbols on the left): "x = 3" accepts 3, "a + 3z = 0" does not
/// accept 0 (README FAQ "Solution Context Asymmetry"). Cases from huggingface/Math-Verify tests/test_all.py
/// test_relations_math, tests/test_numina_cases.py, tests/test_open_thoughts.py.
/// </summary>
public class When_answers_are_equations
{
    private static readonly GradingOptions LatexOnly = GradingOptions.Default with { Targets = ExtractionTargets.Latex };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$x = 11$", "$x = 5+5+1 = 7 =11$", true },
        { "$7 = 11a+c$", "$11a+c$", false },
        { "$x = 1/3$", "$x = 5+5+1 = 1/3 \\approx 11$", true },
        { "$11$", "$x=11$", true },
        { "$11$", "$x\\approx11$", true },
        { "$1/3$", "$x=1/3\\approx1.3$", true },
        { "$a +3z = 0$", "$0$", false },
        { "$2x + z = 1$", "$1$", false },
        { "$k=1$", "$1$", true },
        { "$1$", "$k=1$", true },
        { "$z = 1 + 1 = 2$", "$z = 3+3 = 2$", true },
        { "$2x+4y-3=0$", "$y=-\\frac{1}{2}x+\\frac{3}{4}$", true },
        { "$x^2/4 + y^2/3 = 1$", "$x^2/16 + y^2/12 = 1/4$", true },
        { "$34x+45y-20z+100=0$", "$-34x-45y+20z-100=0$", true },
        { "$(p,q)=(3,2)$", "$\\boxed{(3, 2)}$", true },
        { "$AB=4,CD=5$", "$\\boxed{4, 5}$", true },
        { "$$|AB|=1$$", "$$1$$", true },
        { "$y = 2x$", "$y = -2x$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_equation_is_read_as_math_verify_reads_it(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction, LatexOnly);
}

namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Inequalities, flipped or not, and Math-Verify's asymmetry between relations and sets (README FAQ "Representation
/// Asymmetry": an interval answers an inequality gold, an inequality does not answer an interval gold unless
/// allow_set_relation_comp). Cases from huggingface/Math-Verify tests/test_all.py test_relations_math,
/// test_set_rel_assymetry and tests/test_numina_cases.py.
/// </summary>
public class When_answers_are_inequalities
{
    private static readonly GradingOptions LatexOnly = GradingOptions.Default with { Targets = ExtractionTargets.Latex };

    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$x >= 5$", "Therefore $x \\geq 5$ is the solution.", true },
        { "$x < 3$", "We find that $x \\lt 3$.", true },
        { "$x \\leq 2$", "Thus $x <= 2$ is our answer.", true },
        { "$x > 5$", "Therefore $x \\gt 5$ is the solution.", true },
        { "$x != 3$", "We find that $x \\neq 3$.", true },
        { "$x > 5$", "Therefore $x < 5$ is the solution.", false },
        { "$x \\geq 5$", "The solution is $x \\leq 5$", false },
        { "$x \\leq 5$", "$5 \\geq x$", true },
        { "$x < 1$", "$-x > -1$", true },
        { "$x < 1$", "$x > -1$", false },
        { "$x <= 1$", "$-x >= -1$", true },
        { "$0<f(x)<1$", "$(0,1)$", true },
        { "$f(2) < f(1) < f(4)$", "Hence, $\\boxed{f(2) < f(1) < f(4)}.$", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Relations_compare_with_flips(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction, LatexOnly);

    [Fact]
    public void An_inequality_does_not_answer_an_interval_gold_unless_allowed()
    {
        Verdict.Is(true, "$-2 \\le x \\le 7$", "$x \\in [-2,7]$", LatexOnly);
        Verdict.Is(false, "$x \\in [-2,7]$", "$-2 \\le x \\le 7$", LatexOnly);
        Verdict.Is(true, "$x \\in [-2,7]$", "$-2 \\le x \\le 7$", LatexOnly with { AllowSetRelationComparison = true });
    }
}

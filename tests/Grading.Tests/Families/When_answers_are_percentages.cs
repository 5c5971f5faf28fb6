namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Percent signs and words. Cases from huggingface/Math-Verify tests/test_all.py test_percent_notation; Math-Verify reads
/// 28% as 0.28. Ours also accepts the number without its sign (gold 10\% and a model's 10), a deliberate leniency:
/// MATH golds carry the sign where models often drop it.
/// </summary>
public class When_answers_are_percentages
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$28\\%$", "28 percent", true },
        { "$28\\%$", "28 pct", true },
        { "$28\\%$", "28 %", true },
        { "$28\\%$", "$28$ %", true },
        { "$28\\%$", "$28$ percent", true },
        { "$28\\%$", "$\\boxed{28}$ pct", true },
        { "$28\\%$", "$\\boxed{28 pct}", true },
        { "$28\\%$", "$\\boxed{28 percent}", true },
        { "$28\\%$", "$\\boxed{28 percentage}", true },
        { "$28\\%$", "$\\boxed{0.28}$", true },
        { "$28\\%$", "$\\boxed{28}$", true },
        { "$28\\%$", "$\\boxed{29\\%}$", false },
        { "$28\\%$", "$\\boxed{2.8}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_percentage_is_its_number_over_a_hundred(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);
}

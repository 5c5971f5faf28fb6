namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Sets and solution lists are unordered (a repeated element counts once); tuples are ordered. Cases from
/// huggingface/Math-Verify tests/test_numina_cases.py, tests/test_all.py test_math_extraction_additional_cases and
/// tests/test_yujianll.py.
/// </summary>
public class When_answers_are_sets_or_tuples
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$(37,3,3,13),(17,3,3,7),(3,37,3,13),(3,17,3,7),(3,3,2,3)$", "$\\boxed{(3, 37, 3, 13), (3, 17, 3, 7), (3, 3, 2, 3), (3,17,3,7), (17,3,3,7), (37,3,3,13)}$", true },
        { "$(0;0;0),(0;-2;0),(0;0;6),(0;-2;6),(4;0;0),(4;-2;0),(4;0;6),(4;-2;6)$", "\\boxed{(4, 0, 6), (4, -2, 6), (0, 0, 6), (0, -2, 6), (4, 0, 0), (4, -2, 0), (0, 0, 0), (0, -2, 0)}", true },
        { "$(1,3)$", "${1,3}$", true },
        { "$(3,1)$", "${1,3}$", false },
        { "\\(\\boxed{6 \\text{ and } 8}\\)", "$\\boxed{6,8}$", true },
        { "$n=1, 2, 3$", "$n=1, 2, 3$", true },
        { "$n=2, 3, 4$", "$n=1, 2, 3$", false },
        { "$19, 46, and 82$", "$19, 46, \\text{ and } 82$", true },
        { "$19, 46, and 82$", "$21, 36, and 82$", false },
        { "$\\pm 2021$", "$2021$", false },
        { "$\\pm 2021$", "${-2021, 2021}$", true },
        { "(15,-29)", "$\\boxed{(-29,15)}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sets_ignore_order_and_tuples_keep_it(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);
}

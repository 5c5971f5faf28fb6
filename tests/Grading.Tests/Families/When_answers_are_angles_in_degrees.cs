namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Degree marks are units: Math-Verify's normalisation drops them (latex2sympy2_extended math_normalization.py, the
/// "degree"/"deg" units and ^\circ), so 30^\circ is 30. Cases in the style of MATH-500 geometry answers.
/// </summary>
public class When_answers_are_angles_in_degrees
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "30^\\circ", "The angle is $\\boxed{30^{\\circ}}$.", true },
        { "30^\\circ", "$\\boxed{30°}$", true },
        { "30^\\circ", "$\\boxed{30 \\text{ degrees}}$", true },
        { "106^\\circ", "\\boxed{106}", true },
        { "30^\\circ", "$\\boxed{60^\\circ}$", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_degree_mark_does_not_matter(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);
}

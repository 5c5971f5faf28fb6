namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Matrices and vectors element by element, whatever the bracket style (pmatrix, bmatrix, \left[ array \right]).
/// Cases from huggingface/Math-Verify tests/test_all.py test_matrix_extraction and test_complex_math_expressions.
/// Not covered: matrix arithmetic in the answer (a sum or product of matrices), which Math-Verify evaluates.
/// </summary>
public class When_answers_are_matrices
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "$\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}$", "The identity matrix is $ \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} $.", true },
        { "$\\begin{bmatrix}0 & 0 \\\\0 & 0\\end{bmatrix}$", "Here is a zero matrix: $ \\begin{pmatrix}0 & 0 \\\\0 & 0\\end{pmatrix} $", true },
        { "$\\begin{pmatrix}1 & 2 \\\\3 & 4\\end{pmatrix}$", "Special matrix: $ \\left[\\begin{array}{cc}1 & 2 \\\\3 & 4\\end{array}\\right] $", true },
        { "$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$", "The matrix is $\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}$", false },
        { "\\boxed{\n\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}\n}.\n\\end{align*}", "\\boxed{\n\\begin{pmatrix} 0 & 3 \\\\ 0 & -1 \\end{pmatrix}\n}.\n\\end{align*}", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matrices_compare_element_by_element(string gold, string prediction, bool expected) =>
        Verdict.Is(expected, gold, prediction, GradingOptions.Default with { Targets = ExtractionTargets.Latex });

    [Fact]
    public void Elements_are_rounded_like_numbers() =>
        Verdict.Is(true, "$(\\begin{pmatrix}\\frac{1}{3}\\\\ \\frac{1}{5} \\end{pmatrix})$", "$\\begin{pmatrix}0.33\\\\0.2 \\end{pmatrix}$", GradingOptions.Default with { FloatRounding = 2 });
}

namespace PrunerPipeline.Grading.Tests;

/// <summary>
/// One row per normalisation or equivalence rule; golds are taken from the shared datasets
/// (MATH-500, GaoKao 2023 En, GSM8K), predictions are what a model plausibly writes for them.
/// </summary>
public class When_answers_are_compared
{
    public static TheoryData<string, string, string> Equivalent => new()
    {
        // rule, gold, prediction
        { "integers", "72", "72" },
        { "trailing zeros", "$1.50$", "1.5" },
        { "leading dot", ".35625", "0.35625" },
        { "decimal vs fraction", "\\frac{1}{4}", "0.25" },
        { "fraction vs decimal within tolerance", "\\frac{1}{3}", "0.333333" },
        { "$ delimiters", "$-\\frac{3}{4}$", "-\\frac{3}{4}" },
        { "\\dfrac", "\\dfrac{17}{50}", "\\frac{17}{50}" },
        { "\\tfrac", "\\frac{13}{15}", "\\tfrac{13}{15}" },
        { "\\frac without braces", "\\frac 34", "\\frac{3}{4}" },
        { "\\frac12 shorthand", "$\\frac12$", "1/2" },
        { "\\frac9{19}", "\\frac9{19}", "\\frac{9}{19}" },
        { "a/b vs \\frac", "\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "\\begin{pmatrix} \\frac{1}{5} \\\\ -\\frac{18}{5} \\end{pmatrix}" },
        { "mixed number", "1\\frac{4}{5}", "\\frac{9}{5}" },
        { "mixed number shorthand", "$2\\frac58$", "2.625" },
        { "mixed number with space", "137 \\frac{1}{2}", "275/2" },
        { "\\text{} unit", "5.4 \\text{ cents}", "5.4" },
        { "\\mbox{} unit with power", "15\\mbox{ cm}^2", "15" },
        { "\\text{} unit after fraction", "\\frac{270}7\\text{ degrees}", "\\frac{270}{7}" },
        { "bare unit with power", "$22.1cm^{2}$", "22.1" },
        { "unit after a radical", "$36\\sqrt{7}cm^{3}$", "36\\sqrt{7}" },
        { "unit after π", "$576\\pi\\;m^{2}$", "576\\pi" },
        { "unit in a separate math span", "20 $cm^{2}$", "20" },
        { "unit word in prediction", "864 \\mbox{ inches}^2", "864 square inches" },
        { "^\\circ", "106^\\circ", "106" },
        { "^{\\circ}", "30^\\circ", "30^{\\circ}" },
        { "degree sign", "90^\\circ", "90°" },
        { "percent as is", "$1.1\\%$", "1.1" },
        { "percent as a fraction", "$5.3\\%$", "0.053" },
        { "percent sign in prediction", "$0.05$", "5%" },
        { "thousands separator", "$1,625$", "1625" },
        { "thousands separator with \\!", "10,\\!080", "10080" },
        { "several thousands groups", "11,\\! 111,\\! 111,\\! 100", "11111111100" },
        { "dollars", "\\$32,\\!348", "32348" },
        { "dollars with cents", "\\$18.90", "18.9" },
        { "\\left \\right", "\\left( 3, \\frac{\\pi}{2} \\right)", "(3, \\pi/2)" },
        { "\\left \\right interval", "\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, 8/3]" },
        { "\\sqrt", "2\\sqrt{5}", "\\sqrt{20}" },
        { "\\sqrt shorthand", "11\\sqrt2", "11\\sqrt{2}" },
        { "nth root", "$8(\\sqrt[10]{2^{7}})$", "8\\cdot 2^{7/10}" },
        { "rationalised denominator", "\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}" },
        { "π", "12\\pi", "12π" },
        { "e", "$e^{-1}$", "\\frac{1}{e}" },
        { "complex numbers", "-2 + 7i", "7i-2" },
        { "complex conjugate", "$-1-\\sqrt{3}$", "-(1+\\sqrt{3})" },
        { "polynomial, reordered", "x^3+3x-6", "-6 + 3x + x^3" },
        { "polynomial, factored", "(a+5)(b+2)", "ab+2a+5b+10" },
        { "expression with variables", "6r^2-4r-24", "2(3r^2-2r-12)" },
        { "trigonometric expression", "\\cot x", "\\frac{\\cos x}{\\sin x}" },
        { "named value", "x=5", "5" },
        { "line written two ways", "y = 2x + 3", "y=3+2x" },
        { "function notation", "$f(x)=-\\frac25 x + 13$", "13 - 0.4x" },
        { "equation scaled", "$\\frac{x^{2}}{2} - \\frac{y^{2}}{4}=1$", "2x^2 - y^2 = 4" },
        { "plane equation", "5x - 7y + 11z + 4 = 0", "-5x + 7y - 11z - 4 = 0" },
        { "interval", "(-\\infty, 0]", "(-∞,0]" },
        { "interval with +∞", "$[1,+\\infty)$", "[1, \\infty)" },
        { "union of intervals", "(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)" },
        { "x \\in interval", "x \\in [-2,7]", "[-2,7]" },
        { "set-builder vs interval", "$\\{x|-2\\leq x < 1\\}$", "[-2, 1)" },
        { "interval for an inequality gold", "x \\ge 2", "$[2,+\\infty)$" },
        { "tuple", "(1,-16,-4,43)", "(1, -16, -4, 43)" },
        { "tuple of fractions", "\\left( \\frac{3}{2}, -13 \\right)", "(1.5,-13)" },
        { "list of tuples", "(12,3,4), (6,5.4,7.6)", "(12, 3, 4), (6, 5.4, 7.6)" },
        { "vector", "\\begin{pmatrix} -2 \\\\ -14 \\\\ -7 \\end{pmatrix}", "\\begin{bmatrix} -2 \\\\ -14 \\\\ -7 \\end{bmatrix}" },
        { "matrix", "\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}", "\\begin{pmatrix}-1&0\\\\0&-1\\end{pmatrix}" },
        { "unordered set", "$\\{1,3,5\\}$", "\\{5, 3, 1\\}" },
        { "solution list, reordered", "-2,1", "1, -2" },
        { "± expands", "1 \\pm \\sqrt{19}", "1-\\sqrt{19}, 1+\\sqrt{19}" },
        { "± inside a set", "\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt{5}, 1-\\sqrt{5}" },
        { "\"or\" list", "$5$ or $9$", "9, 5" },
        { "named unknowns, reordered", "x=2, y=3", "y = 3, x = 2" },
        { "values of one unknown", "x=1, x=-2", "-2, 1" },
        { "singleton set", "$\\{-2\\}$", "-2" },
        { "multiple choice", "B", "(B)" },
        { "multiple choice in \\text", "\\text{(C)}", "C" },
        { "multiple choice with its option text", "D", "(D) 12" },
        { "text answer", "\\text{Evelyn}", "Evelyn" },
        { "text answer, case", "\\text{east}", "East" },
        { "base subscript", "204_5", "204_{5}" },
        { "label pasted after the answer", "$145$solution:", "145" },
        { "vector arrows", "$\\frac{1}{4}\\overrightarrow{a} + \\frac{1}{2}\\overrightarrow{b}$ and $\\frac{13}{24}$", "\\frac{1}{4}\\vec{a}+\\frac{1}{2}\\vec{b} and \\frac{13}{24}" },
        { "binomial", "\\binom{6}{2}", "15" },
        { "factorial", "720", "6!" },
        { "log with base", "3", "\\log_2 8" },
        { "display math", "\\[\\frac{1}{2}\\]", "0.5" },
        { "full solution with \\boxed", "\\frac{14}{3}", "Adding, we get $\\frac{8}{3}+2=\\boxed{\\dfrac{14}{3}}$." },
        { "full solution with ####", "18", "9 * 2 = 18 dollars\n#### 18" },
    };

    public static TheoryData<string, string, string> Different => new()
    {
        { "different integers", "72", "73" },
        { "large integers must match exactly", "$8164961$", "8164962" },
        { "rounded fraction outside tolerance", "\\frac{1}{3}", "0.33" },
        { "integer vs nearby decimal", "5730", "5730.4" },
        { "sign", "-\\frac{3}{8}", "\\frac{3}{8}" },
        { "different radical", "\\sqrt{51}", "\\sqrt{53}" },
        { "open vs closed interval", "(3,4]", "(3,4)" },
        { "different tuple order", "(15,-29)", "(-29,15)" },
        { "different set", "\\{1,3,5\\}", "\\{1,3\\}" },
        { "± needs both roots", "3 \\pm 2 \\sqrt{2}", "3 + 2\\sqrt{2}" },
        { "different polynomial", "x^3+3x-6", "x^3+3x+6" },
        { "different variables", "2k", "2n" },
        { "different line", "y = -2x", "y = 2x" },
        { "different choice", "B", "(C)" },
        { "named unknowns swapped", "x=2, y=3", "x = 3, y = 2" },
        { "different text", "\\text{Evelyn}", "Navin" },
        { "anagram is not a product of variables", "\\text{east}", "seat" },
        { "percent is not any scale", "$5.3\\%$", "0.53" },
        // Math-Verify's asymmetry (README FAQ, tests/test_all.py test_set_rel_assymetry): restating an inequality is no answer.
        { "inequality for an interval gold", "$[2,+\\infty)$", "x \\ge 2" },
        { "complex vs real", "1+2i", "1+2" },
        { "different base", "204_5", "204_6" },
        { "empty prediction", "7", "" },
        { "unfinished solution", "\\frac{14}{3}", "We have \\frac{8}{3} + 2 and then we need to add the" },
    };

    [Theory]
    [MemberData(nameof(Equivalent))]
    public void Equivalent_forms_are_judged_correct(string rule, string gold, string prediction) =>
        Assert.True(AnswerGrader.Grade(gold, prediction).Correct, $"{rule}: '{prediction}' should equal '{gold}'");

    [Theory]
    [MemberData(nameof(Different))]
    public void Different_answers_are_judged_wrong(string rule, string gold, string prediction) =>
        Assert.False(AnswerGrader.Grade(gold, prediction).Correct, $"{rule}: '{prediction}' should not equal '{gold}'");

    [Fact]
    public void The_extracted_answer_is_reported()
    {
        var result = AnswerGrader.Grade("18", "Janet sells 9 eggs.\nShe makes 9 * 2 = $18.\n#### 18");

        Assert.True(result.Correct);
        Assert.Equal("18", result.Extracted);
    }
}

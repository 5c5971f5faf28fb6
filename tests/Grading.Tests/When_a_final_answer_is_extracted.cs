namespace PrunerPipeline.Grading.Tests;

public class When_a_final_answer_is_extracted
{
    public static TheoryData<string, string> Solutions => new()
    {
        // GSM8K reference solutions end with "#### N".
        { "She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18", "18" },
        { "Total: 1,450,000\n#### 1450000", "1450000" },
        // MATH: the last \boxed wins, nested braces are matched.
        { "First $\\boxed{3}$ is wrong; the area is $\\boxed{\\frac{\\sqrt{3}}{4}}$.", "\\frac{\\sqrt{3}}{4}" },
        { "So $x \\in \\boxed{\\left(\\frac{3}{5},\\frac{8}{3}\\right]}.$", "\\left(\\frac{3}{5},\\frac{8}{3}\\right]" },
        { "The answer is $\\fbox{12}$", "12" },
        { "hence \\boxed 5 is it", "5" },
        { "\\boxed{\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}}", "\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}" },
        // A truncated \boxed{ (hit max new tokens) does not count; the earlier complete one does.
        { "We get \\boxed{7}. Checking again: \\boxed{7", "7" },
        // "the answer is ..." phrases, with math delimiters and a closing full stop.
        { "Adding these up, the answer is $\\frac{1}{2}$.", "\\frac{1}{2}" },
        { "Thus, the final answer is 3.5.", "3.5" },
        { "So the answer is (B).\nDone", "(B)" },
        { "Answer: 42", "42" },
        { "**Final answer:** $-7$", "-7" },
        // A bare answer is taken whole.
        { "  \\frac{3}{4} ", "\\frac{3}{4}" },
        { "$\\{x|-2\\leq x < 1\\}$", "\\{x|-2\\leq x < 1\\}" },
        // Math spans joined by "or", "and" or "," are one answer (Math-Verify's next-group rule).
        { "$5$ or $9$", "5, 9" },
        // The built-in model's traces: <think> … </think> then \boxed{}.
        { "<think>\n47+38=85\n85-12=73\ncheck:\n47+38=85\n85-12=73\n</think>\n\\boxed{73}", "73" },
    };

    [Theory]
    [MemberData(nameof(Solutions))]
    public void The_final_answer_is_found(string solution, string expected) =>
        Assert.Equal(expected, AnswerExtractor.Extract(solution));

    /// <summary>Math-Verify's last rule (tests/test_all.py test_number_extraction): without any anchor, the last number counts.</summary>
    [Fact]
    public void A_solution_without_any_marker_is_read_for_its_last_number() =>
        Assert.Equal("42", AnswerExtractor.Extract("Step 1: 3 + 4 = 7\nStep 2: 7 * 6 = 42\nSo she has 42 apples left over"));

    /// <summary>
    /// A consequence of that rule, kept as Math-Verify has it: a trace cut off by the token limit is read for the last
    /// number it reached (the length penalty of the reward, not the grader, is what discourages running out of tokens).
    /// </summary>
    [Fact]
    public void A_trace_cut_off_by_the_token_limit_is_read_for_its_last_number()
    {
        var truncated = "<think>\n47+38=85\n85-12=73\ncheck:\n47+38=85\n85-12=73\n";

        var grade = AnswerGrader.Grade("73", truncated);

        Assert.True(grade.Correct);
        Assert.Equal("73", grade.Extracted);
    }

    [Fact]
    public void A_text_without_any_number_or_math_has_no_answer_and_says_so()
    {
        var grade = AnswerGrader.Grade("73", "<think>\nlet me think about this carefully\n");

        Assert.False(grade.Correct);
        Assert.Equal("", grade.Extracted);
        Assert.Equal("no answer found in the prediction", grade.Reason);
    }

    [Fact]
    public void A_gold_answer_is_never_cut_to_its_last_number() =>
        Assert.Equal("(1,-16,-4,43)", AnswerExtractor.ExtractGold("(1,-16,-4,43)"));
}

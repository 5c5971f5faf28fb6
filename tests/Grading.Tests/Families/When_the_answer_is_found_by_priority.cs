namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Extraction priorities. Cases from huggingface/Math-Verify tests/test_all.py (test_latex_notation: the notations),
/// tests/test_configs.py (test_boxed_match_priority), tests/test_boxed.py and tests/test_open_thoughts.py (several
/// boxes), and the README ("Answer Extraction": most concrete anchor first, the last match of an anchor first).
/// </summary>
public class When_the_answer_is_found_by_priority
{
    private static readonly GradingOptions LatexOnly = GradingOptions.Default with { Targets = ExtractionTargets.Latex };

    public static TheoryData<string, string, bool> LatexNotations => new()
    {
        { "$9$", "Answer \\[ 9 \\]", true },
        { "$9$", "Answer $ 9 $", true },
        { "$9$", "Answer $$ 9 $$", true },
        { "$9$", "Answer \\( 9 \\)", true },
        { "$10$", "Answer \\( (9+1) \\)", true },
        // Inline math does not span lines; display math does.
        { "$9$", "Answer $ \n 9 \n $", false },
        { "$9$", "Answer \\( \n 9 \n \\)", false },
        { "$9$", "Answer \\[ \n 9 \n \\]", true },
        { "$9$", "Answer $$ \n 9 \n $$", true },
        { "$10/9$", "Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $", true },
    };

    [Theory]
    [MemberData(nameof(LatexNotations))]
    public void Every_math_environment_is_read(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction, LatexOnly);

    [Fact]
    public void The_boxed_answer_comes_first_by_default_and_after_final_answer_is_at_priority_100()
    {
        const string text = "final answer is $9999$, \\boxed{1}";

        Verdict.Is(true, "1", text);
        Verdict.Is(true, "9999", text, GradingOptions.Default with { Targets = ExtractionTargets.Latex, BoxedPriority = 100 });
        Verdict.Is(false, "1", "\\boxed{1}", GradingOptions.Default with { Targets = ExtractionTargets.Latex, BoxedPriority = -1 });
    }

    public static TheoryData<string, string, bool> SeveralBoxes => new()
    {
        // The last box, and the boxes before it that are joined by "and"/","/"or" or stand close by.
        { "\\boxed{1} papers and \\boxed{2} bins", "$\\boxed{1,2}$", true },
        { "\\boxed{1} no no no no no \\boxed{2}", "$\\boxed{1,2}$", false },
        { "$\\boxed{1}\\boxed{2}$", "$\\boxed{1,2}$", true },
        { "$\\boxed{35 cm} ++++++ \\boxed{4}$", "${35 cm,4}$", true },
        { "$840$", "SoHi YES.\n\n could answer therefore\\boxed{840}.,but let me put this after explain.\n\n**Final Answer**\n\\boxed{840}", true },
    };

    [Theory]
    [MemberData(nameof(SeveralBoxes))]
    public void Nearby_boxes_form_one_answer(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);

    [Fact]
    public void The_last_match_of_an_anchor_wins()
    {
        Verdict.Is(true, "5", "First I thought the answer is $3$. Checking again, the answer is $5$.");
        Verdict.Is(true, "34", "Final Answer: The largest $n$ is 34.");
        Verdict.Is(true, "18", "Janet sells 9 eggs.\nShe makes 9 * 2 = $18.\n#### 18");
    }

    [Fact]
    public void The_spans_joined_by_or_are_one_answer() => Assert.Equal("5, 9", AnswerExtractor.Extract("so $5$ or $9$"));
}

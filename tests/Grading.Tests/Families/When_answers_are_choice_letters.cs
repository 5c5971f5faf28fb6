namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>
/// Multiple-choice letters: "(C)", "\text{C}", "the answer is B". Cases from huggingface/Math-Verify
/// tests/test_all.py test_math_extraction_additional_cases and tests/test_string_extraction.py (which Math-Verify runs
/// with a separate string target; here a letter after "answer is"/"answer:" is one more anchor).
/// </summary>
public class When_answers_are_choice_letters
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "\\(\\boxed{\\text{C}}\\).", "$\\boxed{\\text{(C)}}.$", true },
        { "$\\text{E}$", "$E$", true },
        { "A", "The answer is A.", true },
        { "B", "Final answer is B", true },
        { "B", "So the answer is (B).\nDone", true },
        { "B", "The answer is (C).", false },
        { "D", "(D) 12", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_letter_is_the_answer(string gold, string prediction, bool expected) => Verdict.Is(expected, gold, prediction);
}

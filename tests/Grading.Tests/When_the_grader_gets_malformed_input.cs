namespace PrunerPipeline.Grading.Tests;

/// <summary>Model output is arbitrary text: the grader must answer (not throw) for anything, and answer the same way twice.</summary>
public class When_the_grader_gets_malformed_input
{
    private static readonly string[] Fragments =
    [
        "\\boxed{", "}", "{", "\\frac", "\\sqrt[", "]", "(", ")", "[", "\\left(", "\\right]", "^", "_", "x", "2", "-", "+", "=",
        "<=", "\\{", "\\}", ",", "\\pm", "\\text{", "cm", "%", "$", "####", "the answer is", "|", "!", "\\infty", "\\cup",
        "\\begin{pmatrix}", "\\\\", "&", "\\end{pmatrix}", " or ", ".", "i", "e", "\\pi", "\\sin", "0", "1,000", "\n",
    ];

    [Fact]
    public void Random_fragments_are_graded_without_exceptions_and_deterministically()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var gold = Compose(random);
            var prediction = Compose(random);

            var first = AnswerGrader.Grade(gold, prediction);
            var second = AnswerGrader.Grade(gold, prediction);

            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void A_very_long_answer_is_compared_as_text()
    {
        var longAnswer = string.Concat(Enumerable.Repeat("(x+1)", 5000));

        Assert.True(AnswerGrader.AreEquivalent(longAnswer, longAnswer));
        Assert.False(AnswerGrader.AreEquivalent(longAnswer, longAnswer + "+1"));
    }

    private static string Compose(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Fragments[random.Next(Fragments.Length)]));
}

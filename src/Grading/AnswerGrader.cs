using PrunerPipeline.Grading.Answers;
using PrunerPipeline.Grading.Normalization;

namespace PrunerPipeline.Grading;

/// <summary>
/// Grades a prediction against a gold answer: A(x, y) ∈ {0, 1} of the Length-Harmonizing reward.
/// The prediction may be a bare answer or a whole model solution (its final answer is extracted first).
/// </summary>
public static class AnswerGrader
{
    public static GradeResult Grade(string gold, string prediction)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(prediction);

        var extracted = AnswerExtractor.Extract(prediction);
        return new GradeResult(AreEquivalent(AnswerExtractor.ExtractGold(gold), extracted), extracted);
    }

    /// <summary>Whether two final answers (already extracted) are the same answer.</summary>
    public static bool AreEquivalent(string goldAnswer, string predictedAnswer)
    {
        var gold = AnswerNormalizer.Normalize(goldAnswer);
        var predicted = AnswerNormalizer.Normalize(predictedAnswer);
        if (predicted.Text.Length == 0)
        {
            return gold.Text.Length == 0;
        }

        return AnswerEquivalence.Equivalent(
            AnswerParser.Parse(gold.Text),
            AnswerParser.Parse(predicted.Text),
            percent: gold.IsPercent || predicted.IsPercent);
    }
}

using PrunerPipeline.Grading.Answers;
using PrunerPipeline.Grading.Extraction;

namespace PrunerPipeline.Grading;

/// <summary>
/// Grades a prediction against a gold answer: A(x, y) ∈ {0, 1} of the Length-Harmonizing reward.
/// Follows Hugging Face Math-Verify's three steps (README "Architecture"): extract the answer from the text
/// (<see cref="AnswerExtractor"/>), read it into a common representation (<see cref="AnswerParser"/> after
/// <see cref="Normalization.AnswerNormalizer"/>), compare with the gold (<see cref="AnswerEquivalence"/>).
/// Every call is bounded by <see cref="GradingOptions.TimeBudget"/> (100 ms): a case that needs longer is judged wrong
/// with a reason, never left hanging. Deliberate departures from Math-Verify: a percentage also matches its number
/// without the sign (gold 10\% accepts 10 and 0.1); a bare one-line answer without any math delimiters is read whole
/// ("(1, -16, -4, 43)", "x=2, y=3"), where Math-Verify would take its last number.
/// </summary>
public static class AnswerGrader
{
    /// <summary>Grades a few answers of every shape once per process, so the first real case is not charged the JIT's time.</summary>
    private static readonly Lazy<bool> WarmUp = new(() =>
    {
        var unbounded = GradingOptions.Default with { TimeBudget = TimeSpan.FromHours(1) };
        string[][] samples =
        [
            ["\\frac{1}{2}", "so $x = \\boxed{\\dfrac{1}{2}}$."], ["1000.99", "the number is 1,000.99€"], ["(1,2) \\cup [3,4]", "The answer is $[3,4] \\cup (1,2)$"],
            ["x \\le 2", "$-x \\ge -2$"], ["\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "$\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}$"],
            ["y = 2x + 3", "Final Answer: The final answer is $y=3+2x$. I hope it is correct."], ["28\\%", "28 percent"], ["B", "the answer is (B)"],
            ["\\{1, 3\\}", "$\\{3, 1\\}$ and $\\sqrt{2}\\pi$"], ["72", "Janet pays 9 * 8 = $<<9*8=72>>72\n#### 72"],
        ];
        foreach (var sample in samples)
        {
            GradeWithinBudget(sample[0], sample[1], unbounded);
        }

        return true;
    });

    public static GradeResult Grade(string gold, string prediction) => Grade(gold, prediction, GradingOptions.Default);

    public static GradeResult Grade(string gold, string prediction, GradingOptions options)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(options);

        // One-time costs (JIT, building the patterns of these options) are not the case's: they happen before the clock.
        _ = WarmUp.Value;
        AnswerExtractor.PrepareAnchors(options);
        return GradeWithinBudget(gold, prediction, options);
    }

    private static GradeResult GradeWithinBudget(string gold, string prediction, GradingOptions options)
    {
        using var budget = GradingBudget.Start(options.TimeBudget);
        var extracted = "";
        try
        {
            if (AnswerExtractor.ReadGold(gold, options) is not { } goldAnswer)
            {
                return new GradeResult(false, "", "the gold answer could not be read");
            }

            if (AnswerExtractor.ReadPrediction(prediction, options) is not { } predicted)
            {
                return new GradeResult(false, "", "no answer found in the prediction");
            }

            extracted = predicted.Text;
            return Matches(goldAnswer, predicted, options)
                ? new GradeResult(true, extracted)
                : new GradeResult(false, extracted, $"'{Shorten(predicted.Text)}' is not equal to the gold '{Shorten(goldAnswer.Text)}'");
        }
        catch (GradingTimeoutException)
        {
            return new GradeResult(false, extracted, $"gave up after the time budget of {options.TimeBudget.TotalMilliseconds:0} ms");
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return new GradeResult(false, extracted, $"gave up after the time budget of {options.TimeBudget.TotalMilliseconds:0} ms (pattern matching)");
        }
        catch (InsufficientExecutionStackException)
        {
            return new GradeResult(false, extracted, "the answer is nested too deeply to read");
        }
    }

    /// <summary>Whether two final answers (already extracted, e.g. two gold strings) are the same answer.</summary>
    public static bool AreEquivalent(string goldAnswer, string predictedAnswer)
    {
        ArgumentNullException.ThrowIfNull(goldAnswer);
        ArgumentNullException.ThrowIfNull(predictedAnswer);
        using var budget = GradingBudget.Start(GradingOptions.Default.TimeBudget);
        try
        {
            var gold = AnswerExtractor.ReadWhole(goldAnswer);
            var predicted = AnswerExtractor.ReadWhole(predictedAnswer);
            if (gold is null || predicted is null)
            {
                // Unreadable (empty, or too long to be an answer): the same text is the same answer.
                return string.Equals(AnswerParser.KeyOf(goldAnswer), AnswerParser.KeyOf(predictedAnswer), StringComparison.Ordinal);
            }

            return Matches(gold, predicted, GradingOptions.Default);
        }
        catch (Exception e) when (e is GradingTimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException or InsufficientExecutionStackException)
        {
            return false;
        }
    }

    private static bool Matches(ReadAnswer gold, ReadAnswer predicted, GradingOptions options) =>
        AnswerEquivalence.Equivalent(gold.Value, predicted.Value, new Comparison(gold.IsPercent || predicted.IsPercent, options))
        || (gold.Fallback.Length > 0 && string.Equals(gold.Fallback, predicted.Fallback, StringComparison.Ordinal));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}

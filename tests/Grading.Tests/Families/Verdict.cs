namespace PrunerPipeline.Grading.Tests.Families;

/// <summary>Asserts one grading verdict, naming the case, what was extracted and why when it is not the expected one.</summary>
internal static class Verdict
{
    public static void Is(bool expected, string gold, string prediction, GradingOptions? options = null)
    {
        var grade = AnswerGrader.Grade(gold, prediction, options ?? GradingOptions.Default);
        Assert.True(grade.Correct == expected,
            $"gold '{gold}' vs prediction '{prediction}': expected {expected}, got {grade.Correct} (extracted '{grade.Extracted}'; {grade.Reason})");
        if (!grade.Correct)
        {
            Assert.False(string.IsNullOrEmpty(grade.Reason), "a wrong verdict carries a reason");
        }
    }
}

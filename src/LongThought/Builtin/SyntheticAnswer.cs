using System.Text.RegularExpressions;

namespace PrunerPipeline.LongThought.Builtin;

/// <summary>
/// The synthetic task's own answer check: the last <c>\boxed{integer}</c> equals the gold integer. Enough for the
/// built-in model's training report; the pipeline grades with the general grader.
/// </summary>
public static partial class SyntheticAnswer
{
    public static bool IsCorrect(string gold, string text)
    {
        var matches = Boxed().Matches(text);
        return matches.Count > 0 && matches[^1].Groups[1].Value == gold.Trim();
    }

    [GeneratedRegex(@"\\boxed\{\s*(-?\d+)\s*\}")]
    private static partial Regex Boxed();
}

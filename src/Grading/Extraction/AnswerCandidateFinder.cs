using System.Text.RegularExpressions;

namespace PrunerPipeline.Grading.Extraction;

/// <summary>
/// Lists a text's candidate answers in the order they are tried (see <see cref="AnswerAnchors"/>): by priority, and
/// within a priority the match that ends last first. Lazily, so a text whose best anchor reads is scanned no further.
/// </summary>
internal static class AnswerCandidateFinder
{
    public static IEnumerable<AnswerCandidate> Find(string text, IReadOnlyList<Anchor> anchors)
    {
        foreach (var group in anchors.GroupBy(anchor => anchor.Priority).OrderBy(group => group.Key))
        {
            var matches = new List<(Match Match, CandidateKind Kind)>();
            foreach (var anchor in group)
            {
                GradingBudget.ThrowIfSpentNow();
                foreach (Match match in anchor.Pattern.Matches(text))
                {
                    if (!anchor.RequiresBoxed || match.Value.Contains("\\boxed", StringComparison.Ordinal))
                    {
                        matches.Add((match, anchor.Kind));
                    }
                }
            }

            // OrderBy is stable: for equal positions LaTeX anchors (listed first) come before plain ones.
            foreach (var (match, kind) in matches.OrderByDescending(m => m.Match.Index + m.Match.Length).ThenBy(m => m.Match.Index))
            {
                if (Read(match, kind, group.Key) is { } candidate)
                {
                    yield return candidate;
                }
            }
        }
    }

    private static AnswerCandidate? Read(Match match, CandidateKind kind, int priority)
    {
        if (match.Groups["boxed"].Success)
        {
            return new AnswerCandidate([new CandidatePart(BoxedContent.Extract(match.Groups["boxed"].Value, BoxedMode.Last), false)], kind, priority);
        }

        if (match.Groups["hash"].Success)
        {
            var line = match.Groups["hash"].Value.Trim();
            return line.Length == 0 ? null : new AnswerCandidate([new CandidatePart(line, false)], CandidateKind.Whole, priority);
        }

        if (match.Groups["choice"].Success)
        {
            return new AnswerCandidate([new CandidatePart(match.Groups["choice"].Value, false)], CandidateKind.Whole, priority);
        }

        if (match.Groups["unit"].Success)
        {
            var parts = new List<CandidatePart>();
            foreach (Capture unit in match.Groups["unit"].Captures)
            {
                var span = AnswerAnchors.Span.Match(unit.Value.Trim());
                if (!span.Success)
                {
                    continue;
                }

                var content = Enumerable.Range(1, 6).Select(i => span.Groups["c" + i]).First(g => g.Success).Value;
                parts.Add(new CandidatePart(BoxedContent.Extract(content, BoxedMode.All), span.Groups["pct"].Success));
            }

            return parts.Count == 0 ? null : new AnswerCandidate(parts, CandidateKind.Latex, priority);
        }

        if (match.Groups["expr"].Success)
        {
            return new AnswerCandidate([new CandidatePart(match.Groups["expr"].Value.Replace('\n', ' ').Trim(), false)], CandidateKind.Expression, priority);
        }

        if (match.Groups["int"].Success || match.Groups["dec"].Success)
        {
            return new AnswerCandidate([new CandidatePart(ReadNumber(match), match.Groups["pct"].Success)], CandidateKind.Number, priority);
        }

        return null;
    }

    /// <summary>"1,000.99" → "1000.99", "2,74" → "2.74", ".4" → "0.4", "007" → "7" (Math-Verify's <c>extract_expr</c> rules).</summary>
    public static string ReadNumber(Match match)
    {
        var integer = match.Groups["int"].Success ? match.Groups["int"].Value.Replace(",", "").Replace(" ", "") : "";
        var negative = integer.StartsWith('-');
        integer = integer.TrimStart('-').TrimStart('0');
        if (integer.Length == 0)
        {
            integer = "0";
        }

        var decimals = match.Groups["dec"].Success ? match.Groups["dec"].Value.Replace(',', '.') : "";
        return (negative ? "-" : "") + integer + decimals;
    }
}

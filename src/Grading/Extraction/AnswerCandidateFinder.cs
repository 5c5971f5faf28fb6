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
            var matches = new List<(Match Match, CandidateKind Kind, bool BoxedOnly)>();
            AnswerCandidate? lastBox = null;
            var lastBoxEnd = -1;
            foreach (var anchor in group)
            {
                GradingBudget.ThrowIfSpentNow();
                if (anchor.Pattern is null)
                {
                    (lastBox, lastBoxEnd) = LastBox(text, group.Key);
                    continue;
                }

                foreach (Match match in anchor.Pattern.Matches(text))
                {
                    if (!anchor.RequiresBoxed || match.Value.Contains("\\boxed", StringComparison.Ordinal))
                    {
                        matches.Add((match, anchor.Kind, anchor.RequiresBoxed));
                    }
                }
            }

            // OrderBy is stable: for equal positions LaTeX anchors (listed first) come before plain ones.
            var lastBoxTried = lastBox is null;
            foreach (var (match, kind, boxedOnly) in matches.OrderByDescending(m => m.Match.Index + m.Match.Length).ThenBy(m => m.Match.Index))
            {
                if (!lastBoxTried && match.Index + match.Length <= lastBoxEnd)
                {
                    lastBoxTried = true;
                    yield return lastBox!;
                }

                if (Read(match, kind, group.Key, boxedOnly) is { } candidate)
                {
                    yield return candidate;
                }
            }

            if (!lastBoxTried)
            {
                yield return lastBox!;
            }
        }
    }

    /// <summary>The text from the first <c>\boxed{</c> to the last "}", read for its last box(es); (null, −1) when there is none.</summary>
    private static (AnswerCandidate?, int End) LastBox(string text, int priority)
    {
        var start = text.IndexOf("\\boxed{", StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end < start + "\\boxed{".Length + 1)
        {
            return (null, -1);
        }

        var span = text[start..(end + 1)];
        return (new AnswerCandidate([new CandidatePart(BoxedContent.Extract(span, BoxedMode.Last), false)], CandidateKind.Latex, priority), end + 1);
    }

    private static AnswerCandidate? Read(Match match, CandidateKind kind, int priority, bool boxedOnly)
    {
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
                // At the boxed priority only the spans that hold a box count ("$0$, $x=\boxed{5}$" is 5).
                if (boxedOnly && !unit.Value.Contains("\\boxed", StringComparison.Ordinal))
                {
                    continue;
                }

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

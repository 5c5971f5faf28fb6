using System.Text.RegularExpressions;

namespace PrunerPipeline.Grading.Extraction;

/// <summary>
/// Takes the content out of <c>\boxed{…}</c> / <c>\fbox{…}</c> groups, as Math-Verify's normalisation does
/// (latex2sympy2_extended, math_normalization.py <c>extract_boxed_content</c>): scanning from the right,
/// <see cref="BoxedMode.All"/> keeps every box, <see cref="BoxedMode.Last"/> keeps the last one and the boxes before it
/// that sit close by (under 10 characters apart) or are joined by "and", "or", "," or ";" within 70 characters
/// ("\boxed{1} papers and \boxed{2} bins" is 1,2; "\boxed{1} no no no no no \boxed{2}" is 2). Boxes are joined by ",".
/// An unclosed last box keeps what follows it (a truncated solution's last words).
/// </summary>
internal static partial class BoxedContent
{
    public static string Extract(string text, BoxedMode mode)
    {
        var results = new List<string>();
        var searchEnd = text.Length;
        var limit = text.Length;
        int? laterBoxStart = null;
        while (searchEnd > 0)
        {
            var boxed = text.LastIndexOf("\\boxed", searchEnd - 1, searchEnd, StringComparison.Ordinal);
            var fbox = text.LastIndexOf("\\fbox", searchEnd - 1, searchEnd, StringComparison.Ordinal);
            if (boxed < 0 && fbox < 0)
            {
                break;
            }

            var start = Math.Max(boxed, fbox);
            var brace = start + (start == boxed ? "\\boxed".Length : "\\fbox".Length);
            while (brace < limit && char.IsWhiteSpace(text[brace]))
            {
                brace++;
            }

            if (brace >= limit)
            {
                break;
            }

            if (text[brace] != '{')
            {
                if (results.Count == 0)
                {
                    results.Add(text[brace..limit]);
                }

                break;
            }

            var close = MatchingBrace(text, brace, limit);
            if (close < 0)
            {
                if (results.Count == 0)
                {
                    results.Add(text[(brace + 1)..limit]);
                }

                break;
            }

            var content = text[(brace + 1)..close].Trim();
            if (mode == BoxedMode.Last && laterBoxStart is { } later && !JoinsWithLater(text, content, results[^1], close, later))
            {
                break;
            }

            if (results.Count == 0 || results[^1] != content)
            {
                results.Add(content);
            }

            laterBoxStart = start;
            limit = start;
            searchEnd = start;
        }

        if (results.Count == 0)
        {
            return text;
        }

        results.Reverse();
        return string.Join(",", results);
    }

    private static bool JoinsWithLater(string text, string content, string laterContent, int close, int laterStart)
    {
        var between = close + 1 < laterStart ? text[(close + 1)..laterStart] : "";
        return between.Length < 10 || (content != laterContent && between.Length < 70 && Separator().IsMatch(between));
    }

    private static int MatchingBrace(string text, int open, int limit)
    {
        var depth = 0;
        for (var i = open; i < limit; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"\b(?:and|or)\b|,|;")]
    private static partial Regex Separator();
}

using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Extraction;

namespace PrunerPipeline.Grading;

/// <summary>
/// Finds the final answer in a model solution. The conventions tried, in order:
/// the last <c>\boxed{…}</c> / <c>\fbox{…}</c> (MATH, GaoKao, the system prompt's instruction),
/// the last <c>#### …</c> line (GSM8K), the last "the answer is …" phrase. A text with none of them is taken as a
/// bare answer when it is one short line; a longer text without any of them has no final answer (""), so a solution
/// cut off by the token limit is not credited with whatever number it stopped at.
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>A bare answer is at most this long; anything longer without a marker is a solution.</summary>
    private const int BareAnswerMaxLength = 160;

    public static string Extract(string text) => Extract(text, isGold: false);

    /// <summary>
    /// Reads a gold answer: a gold may be a full reference solution (GSM8K's "#### 72") or the bare answer itself,
    /// however long (GaoKao's "$\frac{1}{4}\overrightarrow{a} + …$ and $\frac{13}{24}$").
    /// </summary>
    public static string ExtractGold(string gold) => Extract(gold, isGold: true);

    private static string Extract(string text, bool isGold)
    {
        ArgumentNullException.ThrowIfNull(text);

        var answer = LastBoxed(text) ?? LastHashMarked(text) ?? LastAnswerPhrase(text);
        if (answer is not null)
        {
            return Tidy(answer);
        }

        var trimmed = text.Trim();
        return isGold || (trimmed.Length <= BareAnswerMaxLength && !trimmed.Contains('\n')) ? Tidy(trimmed) : "";
    }

    /// <summary>The content of the last <c>\boxed</c> or <c>\fbox</c>, braces matched; <c>\boxed 5</c> takes one token.</summary>
    private static string? LastBoxed(string text)
    {
        var start = Math.Max(text.LastIndexOf("\\boxed", StringComparison.Ordinal), text.LastIndexOf("\\fbox", StringComparison.Ordinal));
        while (start >= 0)
        {
            var afterName = start + (text.AsSpan(start).StartsWith("\\boxed") ? "\\boxed".Length : "\\fbox".Length);
            var brace = afterName;
            while (brace < text.Length && text[brace] == ' ')
            {
                brace++;
            }

            if (brace < text.Length && text[brace] == '{')
            {
                if (LatexGroup.Read(text, brace) is { } group)
                {
                    return group.Content;
                }
            }
            else if (brace > afterName)
            {
                var end = brace;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$')
                {
                    end++;
                }

                if (end > brace)
                {
                    return text[brace..end];
                }
            }

            // An unclosed or empty \boxed (a truncated solution) does not count; look further back.
            start = start == 0 ? -1 : Math.Max(
                text.LastIndexOf("\\boxed", start - 1, StringComparison.Ordinal),
                text.LastIndexOf("\\fbox", start - 1, StringComparison.Ordinal));
        }

        return null;
    }

    private static string? LastHashMarked(string text)
    {
        var matches = HashMarkedPattern().Matches(text);
        return matches.Count == 0 ? null : matches[^1].Groups["answer"].Value;
    }

    private static string? LastAnswerPhrase(string text)
    {
        var matches = AnswerPhrasePattern().Matches(text);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            var answer = matches[i].Groups["answer"].Value.Trim();
            if (answer.Length > 0)
            {
                return answer;
            }
        }

        return null;
    }

    /// <summary>Removes what surrounds an answer in prose: math delimiters, markdown bold, a closing full stop.</summary>
    private static string Tidy(string answer)
    {
        var tidy = answer.Replace("**", "").Trim();
        while (tidy.Length > 0 && (tidy[^1] is '.' or '。' || (tidy[^1] == ',' && !tidy.EndsWith("\\,", StringComparison.Ordinal))))
        {
            tidy = tidy[..^1].TrimEnd();
        }

        foreach (var (open, close) in new[] { ("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$") })
        {
            if (tidy.StartsWith(open, StringComparison.Ordinal) && tidy.EndsWith(close, StringComparison.Ordinal) && tidy.Length >= open.Length + close.Length)
            {
                tidy = tidy[open.Length..^close.Length].Trim();
            }
        }

        // "$-7$" is one math span; "$5$ or $9$" is two and keeps its delimiters for the normaliser.
        if (tidy.Length >= 2 && tidy[0] == '$' && tidy[^1] == '$' && tidy.IndexOf('$', 1) == tidy.Length - 1)
        {
            tidy = tidy[1..^1].Trim();
        }

        return tidy;
    }

    [GeneratedRegex(@"####\s*(?<answer>[^\n]*)")]
    private static partial Regex HashMarkedPattern();

    [GeneratedRegex(@"(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*:?\s*(?<answer>[^\n]*?)(?:\.\s|\.?\s*$|\n)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex AnswerPhrasePattern();
}

namespace PrunerPipeline.Grading.Extraction;

/// <summary>Reads brace-delimited LaTeX groups, so nested braces (<c>\boxed{\frac{1}{2}}</c>) are matched, not cut.</summary>
internal static class LatexGroup
{
    /// <summary>
    /// Reads the group opening at <paramref name="open"/> (which must hold <paramref name="openChar"/>).
    /// Returns its inner text and the index just past the closing character, or null when it never closes.
    /// </summary>
    public static (string Content, int End)? Read(string text, int open, char openChar = '{', char closeChar = '}')
    {
        if (open >= text.Length || text[open] != openChar)
        {
            return null;
        }

        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            GradingBudget.ThrowIfSpent();

            // An escaped brace (\{ or \}) is a literal set delimiter, not a group delimiter.
            if (text[i] == '\\' && i + 1 < text.Length && (text[i + 1] == openChar || text[i + 1] == closeChar))
            {
                i++;
                continue;
            }

            if (text[i] == openChar)
            {
                depth++;
            }
            else if (text[i] == closeChar && --depth == 0)
            {
                return (text[(open + 1)..i], i + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads one macro argument starting at <paramref name="start"/>: a braced group, or else a single token
    /// (one character, or one control word such as <c>\pi</c>) after optional spaces, as TeX does for <c>\frac12</c>.
    /// </summary>
    public static (string Content, int End)? ReadArgument(string text, int start)
    {
        var i = start;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return null;
        }

        if (text[i] == '{')
        {
            return Read(text, i);
        }

        if (text[i] == '\\')
        {
            var end = i + 1;
            while (end < text.Length && char.IsAsciiLetter(text[end]))
            {
                end++;
            }

            return end == i + 1 ? null : (text[i..end], end);
        }

        return text[i] is '}' or '^' or '_' or '&' ? null : (text[i].ToString(), i + 1);
    }
}

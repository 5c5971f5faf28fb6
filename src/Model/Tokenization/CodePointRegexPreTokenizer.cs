using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace PrunerPipeline.Model;

/// <summary>
/// Splits text with a Hugging Face pre-tokenizer regex the way the Rust <c>tokenizers</c> crate does: per Unicode code
/// point. .NET's regex sees UTF-16 units, so <c>\p{L}</c> would not match a letter outside the BMP (𝑥, 𠮷). The regex
/// therefore runs over a shadow string holding one BMP stand-in of the same class per such code point, and the
/// pieces are mapped back to the original offsets.
/// </summary>
internal sealed class CodePointRegexPreTokenizer(Regex regex) : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private List<(int Offset, int Length)> Split(string text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.Length == 0)
            return pieces;
        if (!text.Any(char.IsSurrogate))
        {
            foreach (Match match in regex.Matches(text))
                pieces.Add((match.Index, match.Length));
            return pieces;
        }

        var shadow = new char[text.Length];
        var original = new int[text.Length + 1];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            original[length] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                shadow[length++] = StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1])));
                i++;
            }
            else
            {
                shadow[length++] = text[i];
            }
        }
        original[length] = text.Length;
        foreach (Match match in regex.Matches(new string(shadow, 0, length)))
            pieces.Add((original[match.Index], original[match.Index + match.Length] - original[match.Index]));
        return pieces;
    }

    /// <summary>A BMP character in the same regex class (letter, number, mark, other) as a supplementary code point.</summary>
    private static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => 'ª',
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => '²',
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => '\u0301',
        _ => '¤',
    };
}

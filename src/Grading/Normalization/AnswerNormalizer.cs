using System.Text;
using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Extraction;

namespace PrunerPipeline.Grading.Normalization;

/// <summary>
/// Rewrites an answer into a canonical LaTeX-ish string before it is parsed. The rules run top to bottom;
/// each is named after the surface variation it removes.
/// </summary>
internal static partial class AnswerNormalizer
{
    /// <summary>Unit words dropped after a quantity ("15 cm^2", "5.4 \text{ cents}", "\frac{270}7\text{ degrees}").</summary>
    private const string UnitWords =
        "(?:(?:square|sq\\.?|cubic)\\s+)?(?:cm|mm|km|meters?|metres?|inches|inch|feet|foot|ft|yards?|miles?|mph|" +
        "seconds?|minutes?|hours?|hrs?|days?|weeks?|months?|years?|cents?|dollars?|euros?|degrees?|radians?|units?|" +
        "grams?|kg|kilograms?|pounds?|lbs?|ounces?|oz|liters?|litres?|ml|gallons?|people|persons?|students?|times|ways)";

    public static IReadOnlyList<NormalizationRule> Rules { get; } =
    [
        new("\\\\frac typed for \\frac", s => s.Contains("matrix", StringComparison.Ordinal) || s.Contains("array", StringComparison.Ordinal) ? s : DoubledBackslash().Replace(s, "\\")),
        new("unicode symbols", ReplaceUnicodeSymbols),
        new("braced comma 14{,}916", s => BracedComma().Replace(s, ",")),
        new("\\approx: the exact value before it", DropApproximation),
        new("array as a matrix", s => ArrayBegin().Replace(s, "\\begin{pmatrix}").Replace("\\end{array}", "\\end{pmatrix}")),
        new("currency \\$", s => s.Replace("\\$", "")),
        new("math delimiters $ \\( \\[", s => MathDelimiters().Replace(s.Replace("$", ""), "")),
        new("\\displaystyle and sizing", s => SizingCommands().Replace(s, "")),
        new("\\left / \\right", s => LeftRight().Replace(s, "")),
        new("thin space in thousands 10,\\!080", s => ThousandsThinSpace().Replace(s, ",")),
        new("spacing commands", s => SpacingCommands().Replace(s, " ")),
        new("\\dfrac / \\tfrac", s => FracVariants().Replace(s, "\\frac")),
        new("\\ldots", s => Dots().Replace(s, " ")),
        new("unit in \\text{}", s => TextUnit().Replace(s, "")),
        new("trailing \\text{} (a unit or a label)", RemoveTrailingText),
        new("\\text{} and font commands", s => UnwrapCommands(s, "text", "textbf", "textit", "textrm", "mbox", "mathrm", "mathbf", "mathit", "rm", "operatorname", "boldsymbol")),
        new("\"and\" / \"or\" between answers", s => AndOr().Replace(s, ",")),
        new("infinity", s => Infinity().Replace(s, "\\infty")),
        new("decimal without a leading zero", s => LeadingDot().Replace(s, "${before}0.")),
        new("vector and accent marks", s => UnwrapCommands(s, "vec", "overrightarrow", "overline", "hat", "bar", "widehat")),
        new("degrees ^\\circ", s => Degrees().Replace(s, "")),
        new("\\frac12 and \\sqrt2 arguments", BraceMacroArguments),
        new("subscript braces 204_{5}", s => SubscriptBraces().Replace(s, "_$1")),
        new("relations \\le \\ge \\ne", ReplaceRelations),
        new("products \\cdot \\times", s => Products().Replace(s, "*").Replace("\\div", "/")),
        new("absolute value bars", s => AbsoluteBars().Replace(s, "|")),
        new("trailing unit words", s => TrailingUnit().Replace(s, "")),
        new("whitespace", s => Whitespace().Replace(s, " ").Trim()),
        new("x \\in prefix", s => ElementOfPrefix().Replace(s, "")),
        new("thousands separators", s => ThousandsSeparated().IsMatch(s) ? s.Replace(",", "") : s),
        new("trailing full stop", s => s.TrimEnd('.', ' ', '\\')),
        new("trailing label 145solution:", s => TrailingLabel().Replace(s, "")),
        new("outer braces", StripOuterBraces),
        new("brackets around a matrix", s => BracketedMatrix().Replace(s, "$1")),
    ];

    public static NormalizedAnswer Normalize(string answer)
    {
        var text = answer;
        foreach (var rule in Rules)
        {
            text = rule.Apply(text);
        }

        // Percent is removed last so "5\%" and "5 percent" both become "5" and remember they were percentages.
        var withoutPercent = Percent().Replace(text, "");
        var isPercent = withoutPercent.Length != text.Length;
        return new NormalizedAnswer(isPercent ? withoutPercent.Trim() : text, isPercent);
    }

    private static string ReplaceUnicodeSymbols(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            builder.Append(c switch
            {
                '−' or '–' => "-",
                '×' => "\\times ",
                '÷' => "\\div ",
                '·' => "\\cdot ",
                '°' => "^\\circ",
                '∞' => "\\infty ",
                '≤' => "\\le ",
                '≥' => "\\ge ",
                '≠' => "\\ne ",
                'π' => "\\pi ",
                '√' => "\\sqrt",
                '∪' => "\\cup ",
                '，' => ",",
                '：' => ":",
                '（' => "(",
                '）' => ")",
                '\u00a0' => " ",
                '²' => "^2",
                '³' => "^3",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>Replaces <c>\name{content}</c> by <c>content</c>, braces matched.</summary>
    private static string UnwrapCommands(string s, params string[] names)
    {
        foreach (var name in names)
        {
            var macro = "\\" + name;
            var at = s.IndexOf(macro, StringComparison.Ordinal);
            while (at >= 0)
            {
                var afterName = at + macro.Length;
                var isWholeName = afterName >= s.Length || !char.IsAsciiLetter(s[afterName]);
                if (isWholeName && LatexGroup.ReadArgument(s, afterName) is { } argument)
                {
                    s = s[..at] + argument.Content + s[argument.End..];
                }
                else
                {
                    at += macro.Length;
                }

                at = at >= s.Length ? -1 : s.IndexOf(macro, at, StringComparison.Ordinal);
            }
        }

        return s;
    }

    /// <summary>Braces the arguments of <c>\frac</c>, <c>\sqrt</c> and <c>\binom</c> so <c>\frac12</c>, <c>\frac 34</c>, <c>\frac9{19}</c> read alike.</summary>
    private static string BraceMacroArguments(string s)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var builder = new StringBuilder(s.Length + 8);
        var i = 0;
        while (i < s.Length)
        {
            var macro = MacroAt(s, i);
            if (macro is null)
            {
                builder.Append(s[i]);
                i++;
                continue;
            }

            builder.Append(macro);
            var at = i + macro.Length;
            if (macro == "\\sqrt" && at < s.Length && s[at] == '[' && LatexGroup.Read(s, at, '[', ']') is { } index)
            {
                builder.Append('[').Append(BraceMacroArguments(index.Content)).Append(']');
                at = index.End;
            }

            var arguments = macro == "\\sqrt" ? 1 : 2;
            for (var a = 0; a < arguments; a++)
            {
                if (LatexGroup.ReadArgument(s, at) is not { } argument)
                {
                    break;
                }

                builder.Append('{').Append(BraceMacroArguments(argument.Content)).Append('}');
                at = argument.End;
            }

            i = at;
        }

        return builder.ToString();
    }

    private static string? MacroAt(string s, int i)
    {
        foreach (var macro in new[] { "\\frac", "\\sqrt", "\\binom" })
        {
            var end = i + macro.Length;
            if (s.AsSpan(i).StartsWith(macro) && (end >= s.Length || !char.IsAsciiLetter(s[end])))
            {
                return macro;
            }
        }

        return null;
    }

    /// <summary>"\frac{1}{3} \text{meters}" is 1/3; a \text{} that is the whole answer ("\text{Evelyn}") stays.</summary>
    private static string RemoveTrailingText(string s)
    {
        var removed = TrailingText().Replace(s, "").Trim();
        return removed.Length == 0 || removed.EndsWith('=') ? s : removed;
    }

    /// <summary>"x = 1/3 \approx 0.33" is x = 1/3; "x \approx 11" is x = 11 (nothing exact was written).</summary>
    private static string DropApproximation(string s)
    {
        var at = s.IndexOf("\\approx", StringComparison.Ordinal);
        if (at < 0)
        {
            return s;
        }

        var before = s[..at].Trim();
        if (before.Length == 0)
        {
            return s[(at + "\\approx".Length)..];
        }

        return VariableOnly().IsMatch(before) ? before + " = " + s[(at + "\\approx".Length)..].Replace("\\approx", "=") : before;
    }

    private static string ReplaceRelations(string s)
    {
        s = LessOrEqual().Replace(s, "<=");
        s = GreaterOrEqual().Replace(s, ">=");
        s = NotEqual().Replace(s, "!=");
        return s.Replace("\\lt", "<").Replace("\\gt", ">");
    }

    private static string StripOuterBraces(string s)
    {
        while (s.Length >= 2 && s[0] == '{' && LatexGroup.Read(s, 0) is { } group && group.End == s.Length)
        {
            s = group.Content.Trim();
        }

        return s;
    }

    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\\]")]
    private static partial Regex MathDelimiters();

    [GeneratedRegex(@"\\(?:displaystyle|textstyle|[Bb]igg?[lr]?)(?![a-zA-Z])")]
    private static partial Regex SizingCommands();

    [GeneratedRegex(@"\\(?:left|right)(?![a-zA-Z])\.?")]
    private static partial Regex LeftRight();

    [GeneratedRegex(@"(?<=\d),\s*\\!\s*(?=\d{3})")]
    private static partial Regex ThousandsThinSpace();

    [GeneratedRegex(@"(?<!\\)\\[!,;: ]|\\q?quad|~")]
    private static partial Regex SpacingCommands();

    [GeneratedRegex(@"\\[dtc]frac(?![a-zA-Z])")]
    private static partial Regex FracVariants();

    [GeneratedRegex(@"\s*\\(?:text|mbox|mathrm|textrm)\s*\{\s*" + UnitWords + @"\s*\}(?:\s*\^\s*\{?\s*[23]\s*\}?)?", RegexOptions.IgnoreCase)]
    private static partial Regex TextUnit();

    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"\\leq?slant(?![a-zA-Z])|\\leq?(?![a-zA-Z])|⩽")]
    private static partial Regex LessOrEqual();

    [GeneratedRegex(@"\\geq?slant(?![a-zA-Z])|\\geq?(?![a-zA-Z])|⩾")]
    private static partial Regex GreaterOrEqual();

    [GeneratedRegex(@"\\neq?(?![a-zA-Z])")]
    private static partial Regex NotEqual();

    [GeneratedRegex(@"\\(?:cdot|times|ast)(?![a-zA-Z])")]
    private static partial Regex Products();

    [GeneratedRegex(@"\\[lr]?vert(?![a-zA-Z])|\\mid(?![a-zA-Z])|\\\|")]
    private static partial Regex AbsoluteBars();

    /// <summary>
    /// A unit after a quantity at the end ("22.1cm^{2}", "20 cm^2", "576\pi m^2"). A bare one-letter "m" only
    /// counts with an exponent, so an answer like "5am" keeps its variables.
    /// </summary>
    [GeneratedRegex(@"(?<=[\d}\s)]|\\pi)\s*(?:" + UnitWords + @"(?:\s*\^\s*\{?\s*[23]\s*\}?)?|m\s*\^\s*\{?\s*[23]\s*\}?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingUnit();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=\d)\s*[A-Za-z]+:$")]
    private static partial Regex TrailingLabel();

    [GeneratedRegex(@"_\{\s*([A-Za-z0-9]+)\s*\}")]
    private static partial Regex SubscriptBraces();

    [GeneratedRegex(@"^[a-zA-Z]\s*\\in\s+")]
    private static partial Regex ElementOfPrefix();

    [GeneratedRegex(@"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")]
    private static partial Regex ThousandsSeparated();

    [GeneratedRegex(@"\\\\(?=[a-zA-Z])")]
    private static partial Regex DoubledBackslash();

    [GeneratedRegex(@"\s*\{\s*,\s*\}")]
    private static partial Regex BracedComma();

    [GeneratedRegex(@"^\s*[a-zA-Z](?:_\{?\w+\}?)?\s*$")]
    private static partial Regex VariableOnly();

    [GeneratedRegex(@"\\begin\{array\}\s*\{[^{}]*\}")]
    private static partial Regex ArrayBegin();

    [GeneratedRegex(@"^\[\s*(\\begin\{[pbvB]?matrix\}.*\\end\{[pbvB]?matrix\})\s*\]$", RegexOptions.Singleline)]
    private static partial Regex BracketedMatrix();

    [GeneratedRegex(@",?\s*\\[lc]?dots(?![a-zA-Z])")]
    private static partial Regex Dots();

    [GeneratedRegex(@"\s*\\(?:text|textbf|textit|textrm|textnormal|mbox|mathrm|mathbf|mathit)\s*\{[^{}]*\}(?:\^\d|\{\^\d\})?\s*$")]
    private static partial Regex TrailingText();

    [GeneratedRegex(@"(?<![a-zA-Z\\]),?\s*\b(?:and|or)\b(?![a-zA-Z])")]
    private static partial Regex AndOr();

    [GeneratedRegex(@"(?<![a-zA-Z\\])infinity(?![a-zA-Z])")]
    private static partial Regex Infinity();

    [GeneratedRegex(@"(?<before>^|[\s{(\[,=+\-])\.(?=\d)")]
    private static partial Regex LeadingDot();

    [GeneratedRegex(@"\s*(?:\\%|%|\s*(?<![a-zA-Z])(?:percentage|percent|pct)(?![a-zA-Z]))")]
    private static partial Regex Percent();
}

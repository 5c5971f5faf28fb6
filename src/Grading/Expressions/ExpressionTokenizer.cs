using System.Globalization;

namespace PrunerPipeline.Grading.Expressions;

/// <summary>Splits a normalised answer into <see cref="ExpressionToken"/>s; null when it holds something that is not algebra.</summary>
internal static class ExpressionTokenizer
{
    /// <summary>Function and constant names also accepted without a backslash ("sqrt(2)", "pi").</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp",
    };

    private static readonly IReadOnlySet<string> OtherCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "frac", "sqrt", "binom", "pi", "infty",
    };

    /// <summary>
    /// Letter runs this long or longer that are not a known name are words ("even", "east"), not products of variables.
    /// Shorter runs are products: "ab", "def".
    /// </summary>
    private const int WordLength = 4;

    public static IReadOnlyList<ExpressionToken>? Tokenize(string text)
    {
        var tokens = new List<ExpressionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                var literal = text[start..i];
                tokens.Add(new ExpressionToken(ExpressionTokenKind.Number, literal, double.Parse(literal, CultureInfo.InvariantCulture)));
            }
            else if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                var run = text[start..i];
                if (Functions.Contains(run) || run is "sqrt" or "pi")
                {
                    tokens.Add(new ExpressionToken(ExpressionTokenKind.Command, run));
                }
                else if (run.Length >= WordLength)
                {
                    return null;
                }
                else
                {
                    tokens.AddRange(run.Select(letter => new ExpressionToken(ExpressionTokenKind.Letter, letter.ToString())));
                }
            }
            else if (c == '\\')
            {
                var start = ++i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                var name = text[start..i];
                if (!Functions.Contains(name) && !OtherCommands.Contains(name))
                {
                    return null;
                }

                tokens.Add(new ExpressionToken(ExpressionTokenKind.Command, name));
            }
            else if ("+-*/^_()[]{}|!'".Contains(c))
            {
                tokens.Add(new ExpressionToken(ExpressionTokenKind.Symbol, c.ToString()));
                i++;
            }
            else
            {
                return null;
            }
        }

        return tokens;
    }
}

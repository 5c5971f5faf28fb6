using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// Reads the structure of a normalised answer. The shapes are tried from the outside in: choice letter,
/// "or"/"and" lists, comma lists, unions, sets, bracketed tuples and intervals, matrices, ±, inequalities,
/// equations, and finally algebra; what fits none of them is text.
/// </summary>
internal static partial class AnswerParser
{
    /// <summary>Guards the recursive descent against pathological input; real answers are far shorter.</summary>
    private const int MaxLength = 1000;

    public static AnswerValue Parse(string normalized)
    {
        var text = normalized.Trim();
        var key = KeyOf(text);
        if (text.Length == 0 || text.Length > MaxLength)
        {
            return new TextAnswer(key);
        }

        if (ChoicePattern().Match(text) is { Success: true } choice)
        {
            return new ChoiceAnswer(key, choice.Groups["letter"].Value[0]);
        }

        if (Split(text, WordSeparatorAt) is { Count: > 1 } alternatives)
        {
            return Unordered(key, alternatives);
        }

        if (Split(text, (s, i) => s[i] is ',' or ';' ? 1 : 0) is { Count: > 1 } list)
        {
            return Unordered(key, list);
        }

        if (Split(text, (s, i) => string.CompareOrdinal(s, i, "\\cup", 0, 4) == 0 ? 4 : 0) is { Count: > 1 } union)
        {
            return new IntervalUnionAnswer(key, union.Select(Parse).ToList());
        }

        if (text.StartsWith("\\{", StringComparison.Ordinal) && text.EndsWith("\\}", StringComparison.Ordinal) && ClosesAtEnd(text, 0))
        {
            return ParseSet(key, text[2..^2]);
        }

        if (text[0] is '(' or '[' && text[^1] is ')' or ']' && ClosesAtEnd(text, 0))
        {
            var items = Split(text[1..^1], (s, i) => s[i] == ',' ? 1 : 0);
            return items.Count > 1
                ? new BracketedAnswer(key, text[0], text[^1], items.Select(Parse).ToList())
                : Parse(text[1..^1]);
        }

        if (MatrixPattern().Match(text) is { Success: true } matrix)
        {
            return ParseMatrix(key, matrix.Groups["body"].Value);
        }

        if (PlusMinusPattern().Match(text) is { Success: true } plusMinus && PlusMinusPattern().Matches(text).Count == 1)
        {
            var before = text[..plusMinus.Index];
            var after = text[(plusMinus.Index + plusMinus.Length)..];
            return new UnorderedAnswer(key, [Parse(before + "+" + after), Parse(before + "-" + after)]);
        }

        if (Split(text, RelationAt) is { Count: > 1 } relation)
        {
            return ParseInequality(key, text) ?? new TextAnswer(key);
        }

        if (Split(text, (s, i) => s[i] == '=' ? 1 : 0) is { Count: > 1 } sides)
        {
            return ParseEquation(key, sides);
        }

        return ExpressionParser.TryParse(text) is { } expression ? new ExpressionAnswer(key, expression) : new TextAnswer(key);
    }

    public static string KeyOf(string text) => Whitespace().Replace(text, "");

    private static UnorderedAnswer Unordered(string key, IEnumerable<string> parts)
    {
        // "\{1\pm\sqrt{5},-2\}" holds three solutions, not two: nested lists are flattened.
        // "x = 2, y = 3" names different unknowns, so the names stay (it is not "y = 2, x = 3");
        // "x = 1, x = -2" lists values of one unknown, which are just the values.
        var partList = parts.ToList();
        var keepNames = partList.Select(p => NamedValue().Match(p)).Where(m => m.Success).Select(m => m.Groups["name"].Value).Distinct().Count() > 1;
        var items = new List<AnswerValue>();
        foreach (var part in partList)
        {
            var item = keepNames && NamedValue().IsMatch(part) ? ParseNamedValue(part) : Parse(part);
            if (item is UnorderedAnswer nested && !part.StartsWith("\\{", StringComparison.Ordinal))
            {
                items.AddRange(nested.Items);
            }
            else
            {
                items.Add(item);
            }
        }

        return new UnorderedAnswer(key, items);
    }

    /// <summary>"y = 3" as the equation y − 3 = 0, so the unknown's name takes part in the comparison.</summary>
    private static AnswerValue ParseNamedValue(string part)
    {
        var sides = part.Split('=', 2);
        var name = ExpressionParser.TryParse(sides[0]);
        var value = ExpressionParser.TryParse(sides[1]);
        return name is not null && value is not null
            ? new EquationAnswer(KeyOf(part), MathExpression.Difference(name, value))
            : Parse(part);
    }

    private static AnswerValue ParseSet(string key, string body)
    {
        // Set-builder notation \{x | -2 <= x < 1\} is an interval when its condition is one.
        var builder = Split(body, (s, i) => s[i] is '|' or ':' ? 1 : 0);
        if (builder.Count == 2)
        {
            return ParseInequality(key, builder[1]) ?? new TextAnswer(key);
        }

        return Unordered(key, Split(body, (s, i) => s[i] == ',' ? 1 : 0));
    }

    private static AnswerValue ParseMatrix(string key, string body)
    {
        var rows = body.Split("\\\\", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var parsedRows = rows.Select(row =>
        {
            var cells = row.Split('&', StringSplitOptions.TrimEntries);
            return cells.Length == 1 ? Parse(cells[0]) : new BracketedAnswer(KeyOf(row), '(', ')', cells.Select(Parse).ToList());
        }).ToList();
        return new BracketedAnswer(key, '(', ')', parsedRows);
    }

    /// <summary>"-2 <= x < 1", "x > 3", "b > a > c" → the interval of the middle variable.</summary>
    private static AnswerValue? ParseInequality(string key, string text)
    {
        var parts = RelationSplit().Split(text).Select(p => p.Trim()).ToList();
        if (parts.Count == 3 && parts[1] is "<" or "<=" or ">" or ">=")
        {
            var (variable, op, bound) = IsVariable(parts[0]) ? (parts[0], parts[1], parts[2]) : (parts[2], Flip(parts[1]), parts[0]);
            if (!IsVariable(variable))
            {
                return null;
            }

            return op.StartsWith('<')
                ? Interval(key, "-\\infty", false, bound, op == "<=")
                : Interval(key, bound, op == ">=", "\\infty", false);
        }

        if (parts.Count == 5 && IsVariable(parts[2]) && parts[1][0] == parts[3][0] && parts[1][0] is '<' or '>')
        {
            return parts[1][0] == '<'
                ? Interval(key, parts[0], parts[1] == "<=", parts[4], parts[3] == "<=")
                : Interval(key, parts[4], parts[3] == ">=", parts[0], parts[1] == ">=");
        }

        return null;
    }

    private static BracketedAnswer Interval(string key, string lower, bool lowerClosed, string upper, bool upperClosed) =>
        new(key, lowerClosed ? '[' : '(', upperClosed ? ']' : ')', [Parse(lower), Parse(upper)]);

    private static string Flip(string relation) => relation switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => relation,
    };

    private static bool IsVariable(string text) => VariablePattern().IsMatch(text);

    private static AnswerValue ParseEquation(string key, IReadOnlyList<string> sides)
    {
        // "x = 5", "y = 2x + 3", "f(x) = ...", "a = b = 3": a named value is the value itself.
        if (sides.Count > 2 || IsVariable(sides[0]) || FunctionNotation().IsMatch(sides[0]))
        {
            return Parse(sides[^1]);
        }

        var left = ExpressionParser.TryParse(sides[0]);
        var right = ExpressionParser.TryParse(sides[1]);
        return left is not null && right is not null
            ? new EquationAnswer(key, MathExpression.Difference(left, right))
            : new TextAnswer(key);
    }

    private static int WordSeparatorAt(string s, int i)
    {
        if (s[i] != ' ')
        {
            return 0;
        }

        foreach (var word in new[] { " or ", " and " })
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) == 0)
            {
                return word.Length;
            }
        }

        return 0;
    }

    private static int RelationAt(string s, int i) => s[i] is '<' or '>' || (s[i] == '!' && i + 1 < s.Length && s[i + 1] == '=') ? 1 : 0;

    /// <summary>True when the bracket opening at <paramref name="open"/> closes at the very end (so "(a+5)(b+2)" is not one group).</summary>
    private static bool ClosesAtEnd(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] is '(' or '[' or '{')
            {
                depth++;
            }
            else if (text[i] is ')' or ']' or '}' && --depth == 0)
            {
                return i == text.Length - 1;
            }
        }

        return false;
    }

    /// <summary>Splits at separators outside every bracket; <paramref name="separatorAt"/> gives a separator's length at an index, or 0.</summary>
    private static List<string> Split(string text, Func<string, int, int> separatorAt)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (depth == 0 && separatorAt(text, i) is > 0 and var length)
            {
                parts.Add(text[start..i].Trim());
                start = i + length;
                i = start - 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts.Where(p => p.Length > 0).ToList() is { Count: > 1 } nonEmpty ? nonEmpty : [text];
    }

    [GeneratedRegex(@"^\(?(?<letter>[A-K])\)?$|^\((?<letter>[A-K])\)\s*\S.*$")]
    private static partial Regex ChoicePattern();

    [GeneratedRegex(@"^\\begin\{[pbvB]?matrix\}(?<body>.*)\\end\{[pbvB]?matrix\}$", RegexOptions.Singleline)]
    private static partial Regex MatrixPattern();

    [GeneratedRegex(@"\\pm(?![a-zA-Z])|\\mp(?![a-zA-Z])")]
    private static partial Regex PlusMinusPattern();

    [GeneratedRegex(@"(<=|>=|<|>)")]
    private static partial Regex RelationSplit();

    [GeneratedRegex(@"^[a-zA-Z](?:_\{?\w+\}?)?$")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^[a-zA-Z](?:_\{?\w+\}?)?\s*\([a-zA-Z,\s]*\)$")]
    private static partial Regex FunctionNotation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\s*(?<name>[a-zA-Z](?:_\{?\w+\}?)?)\s*=(?!=)[^=]+$")]
    private static partial Regex NamedValue();
}

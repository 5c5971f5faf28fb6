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
        // Deeply nested input ends with InsufficientExecutionStackException (caught by the grader), not a crashed process.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        GradingBudget.ThrowIfSpent();
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
            var parts = union.Select(ParseSetOperand).ToList();

            // {1,3} \cup {2,4} is the finite set {1,2,3,4}; a union with an interval stays a union.
            if (parts.All(part => part is UnorderedAnswer or ExpressionAnswer))
            {
                var elements = parts.SelectMany(part => part is UnorderedAnswer set ? set.Items : [part]).DistinctBy(item => item.Key).ToList();
                return new UnorderedAnswer(key, elements);
            }

            return new IntervalUnionAnswer(key, parts);
        }

        if (text.StartsWith("\\{", StringComparison.Ordinal) && text.EndsWith("\\}", StringComparison.Ordinal) && ClosesAtEnd(text, 0))
        {
            return ParseSet(key, text[2..^2]);
        }

        if (text[0] is '(' or '[' && text[^1] is ')' or ']' && ClosesAtEnd(text, 0))
        {
            var items = Split(text[1..^1], (s, i) => s[i] == ',' ? 1 : 0);
            if (items.Count == 1)
            {
                items = Split(text[1..^1], (s, i) => s[i] == ';' ? 1 : 0);
            }

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
            return ParseInequality(key, text) ?? (AnswerValue?)ParseRelations(key, text) ?? new TextAnswer(key);
        }

        if (Split(text, (s, i) => s[i] == '=' ? 1 : 0) is { Count: > 1 } sides)
        {
            return ParseEquation(key, sides);
        }

        return ExpressionParser.TryParse(text) is { } expression ? new ExpressionAnswer(key, expression) : new TextAnswer(key);
    }

    /// <summary>An operand of \cup: "{1,3}" written with plain braces is a set too.</summary>
    private static AnswerValue ParseSetOperand(string part)
    {
        var trimmed = part.Trim();
        if (trimmed.Length > 2 && trimmed[0] == '{' && ClosesAtEnd(trimmed, 0))
        {
            return ParseSet(KeyOf(trimmed), trimmed[1..^1]);
        }

        return Parse(trimmed);
    }

    public static string KeyOf(string text) => Whitespace().Replace(text, "");

    private static UnorderedAnswer Unordered(string key, IEnumerable<string> parts)
    {
        // "\{1\pm\sqrt{5},-2\}" holds three solutions, not two: nested lists are flattened. A repeated element counts
        // once, as in a set ("(3,17,3,7)" listed twice is one solution).
        var items = new List<AnswerValue>();
        foreach (var part in parts)
        {
            var item = Parse(part);
            if (item is UnorderedAnswer nested && !part.StartsWith("\\{", StringComparison.Ordinal))
            {
                items.AddRange(nested.Items);
            }
            else
            {
                items.Add(item);
            }
        }

        return new UnorderedAnswer(key, items.DistinctBy(item => item.Key).ToList());
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
                ? Interval(key, "-\\infty", false, bound, op == "<=", text)
                : Interval(key, bound, op == ">=", "\\infty", false, text);
        }

        if (parts.Count == 5 && IsVariable(parts[2]) && parts[1][0] == parts[3][0] && parts[1][0] is '<' or '>')
        {
            return parts[1][0] == '<'
                ? Interval(key, parts[0], parts[1] == "<=", parts[4], parts[3] == "<=", text)
                : Interval(key, parts[4], parts[3] == ">=", parts[0], parts[1] == ">=", text);
        }

        return null;
    }

    private static BracketedAnswer Interval(string key, string lower, bool lowerClosed, string upper, bool upperClosed, string text) =>
        new(key, lowerClosed ? '[' : '(', upperClosed ? ']' : ')', [Parse(lower), Parse(upper)]) { FromRelation = true, Relation = ParseRelations(key, text) };

    /// <summary>"a op b op c …" as relations (left − right) with &gt; and ≥ flipped to &lt; and ≤; null unless every side is algebra.</summary>
    private static RelationAnswer? ParseRelations(string key, string text)
    {
        var parts = RelationSplit().Split(text).Select(p => p.Trim()).ToList();
        if (parts.Count < 3 || parts.Count % 2 == 0)
        {
            return null;
        }

        var sides = new List<MathExpression>();
        for (var i = 0; i < parts.Count; i += 2)
        {
            if (ExpressionParser.TryParse(parts[i]) is not { } side)
            {
                return null;
            }

            sides.Add(side);
        }

        var relations = new List<Relation>();
        for (var i = 1; i < parts.Count; i += 2)
        {
            var (left, right) = (sides[(i - 1) / 2], sides[(i + 1) / 2]);
            relations.Add(parts[i] switch
            {
                "<" or "<=" or "!=" => new Relation(parts[i], MathExpression.Difference(left, right)),
                ">" => new Relation("<", MathExpression.Difference(right, left)),
                ">=" => new Relation("<=", MathExpression.Difference(right, left)),
                _ => throw new FormatException(parts[i]),
            });
        }

        return new RelationAnswer(key, relations);
    }

    private static string Flip(string relation) => relation switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => relation,
    };

    /// <summary>A variable or a function of variables ("x", "a_1", "f(x)"): the middle of "0 &lt; f(x) &lt; 1" is one too.</summary>
    private static bool IsVariable(string text) => VariablePattern().IsMatch(text) || FunctionNotation().IsMatch(text);

    private static AnswerValue ParseEquation(string key, IReadOnlyList<string> sides)
    {
        var last = Parse(sides[^1]);
        var first = ExpressionParser.TryParse(sides[0]);
        var right = ExpressionParser.TryParse(sides[^1]);
        var difference = first is not null && right is not null ? MathExpression.Difference(first, right) : null;
        return new EquationAnswer(key, difference, last, SymbolsOnly().IsMatch(sides[0]) && sides[0].Any(char.IsAsciiLetter));
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

    /// <summary>The left side of an assignment: symbols, subscripts, function notation, tuples and ratios of symbols, no numbers outside subscripts.</summary>
    [GeneratedRegex(@"^(?:[a-zA-Z]|_\{?[a-zA-Z0-9]+\}?|\\frac|[\s{}()|,:/*']|\\(?:alpha|beta|gamma|theta|lambda|mu|sigma|phi|omega|angle))+$")]
    private static partial Regex SymbolsOnly();

    [GeneratedRegex(@"(<=|>=|!=|<|>)")]
    private static partial Regex RelationSplit();

    [GeneratedRegex(@"^[a-zA-Z](?:_\{?\w+\}?)?$")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^[a-zA-Z](?:_\{?\w+\}?)?\s*\([a-zA-Z,\s]*\)$")]
    private static partial Regex FunctionNotation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Answers;
using PrunerPipeline.Grading.Expressions;
using PrunerPipeline.Grading.Extraction;
using PrunerPipeline.Grading.Normalization;

namespace PrunerPipeline.Grading;

/// <summary>
/// Finds the final answer in a text the way Math-Verify's <c>parse</c> does (huggingface/Math-Verify README
/// "Answer Extraction", src/math_verify/parser.py): anchors are tried by priority (<see cref="AnswerAnchors"/>), the
/// last match of a priority first, and the first candidate that reads as an answer is taken.
/// Gold answers are usually clean, so a gold without any math delimiter is read whole (MATH's
/// "\left( 3, \frac{\pi}{2} \right)", GSM8K's "72"); a plain number gold is read with Math-Verify's separator rules
/// ("1,000" is a thousand, "1,22" is 1.22; a single digit after a comma is a list, "-2,1"). A short one-line prediction
/// without anchors is read whole when every part of it is recognised ("(1, -16, -4, 43)", "x=2, y=3", "20 $cm^{2}$");
/// otherwise the anchors look for it, down to its last number.
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>A bare prediction is at most this long; anything longer is a solution searched for anchors.</summary>
    private const int BareAnswerMaxLength = 160;

    /// <summary>Texts beyond this are judged without an answer: no real solution is this long, hostile input may be.</summary>
    internal const int MaxTextLength = 200_000;

    /// <summary>A final answer longer than this is not read as math (real ones are far shorter; hostile ones would cost time).</summary>
    private const int MaxAnswerLength = 10_000;

    private static readonly Dictionary<(ExtractionTargets, int), IReadOnlyList<Anchor>> AnchorSets = [];

    /// <summary>The final answer of a model solution, as text ("" when none is found).</summary>
    public static string Extract(string text) => Run(() => ReadPrediction(text, GradingOptions.Default)?.Text ?? "");

    /// <summary>The answer of a gold: a full reference solution (GSM8K's "#### 72") or the bare answer itself, however long.</summary>
    public static string ExtractGold(string gold) => Run(() => ReadGold(gold, GradingOptions.Default)?.Text ?? "");

    internal static ReadAnswer? ReadGold(string gold, GradingOptions options)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var trimmed = gold.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxTextLength)
        {
            return null;
        }

        if (WholeNumber().Match(trimmed) is { Success: true } number)
        {
            return ReadPart(new CandidatePart(AnswerCandidateFinder.ReadNumber(number), number.Groups["pct"].Success), CandidateKind.Number, trimmed);
        }

        // "$9$", "20 $cm^{2}$", "$5$ or $9$" are clean answers read whole; a gold solution ("… \boxed{14{,}916} is our
        // answer", "… #### 72") or prose around math is searched like a prediction.
        if (!HasMathMarkers(trimmed))
        {
            return ReadWhole(trimmed);
        }

        if (!HasSolutionMarkers(trimmed) && ReadWhole(trimmed) is { } whole && IsStructured(whole.Value))
        {
            return whole;
        }

        return ReadAnchored(trimmed, options) ?? ReadWhole(trimmed);
    }

    internal static ReadAnswer? ReadPrediction(string prediction, GradingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var trimmed = prediction.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxTextLength)
        {
            return null;
        }

        if (options.Targets.HasFlag(ExtractionTargets.Expression))
        {
            if (WholeNumber().Match(trimmed) is { Success: true } number)
            {
                return ReadPart(new CandidatePart(AnswerCandidateFinder.ReadNumber(number), number.Groups["pct"].Success), CandidateKind.Number, trimmed);
            }

            // A short line that is nothing but an answer ("(1, -16, -4, 43)", "x=2, y=3") is read whole when every part of
            // it is recognised, and with math delimiters only when no words stand outside them ("20 $cm^{2}$", not
            // "so $5$ or $9$"); a bare word or token ("Evelyn", "204_5") when it has no math delimiters.
            if (trimmed.Length <= BareAnswerMaxLength && !HasSolutionMarkers(trimmed) && ReadWhole(trimmed) is { } whole
                && (HasMathMarkers(trimmed)
                    ? IsStructured(whole.Value) && !Letter().IsMatch(MathSpan().Replace(trimmed, ""))
                    : IsStructured(whole.Value) || BareWords().IsMatch(whole.Value.Key)))
            {
                return whole;
            }
        }

        return ReadAnchored(trimmed, options);
    }

    /// <summary>The text taken whole as one LaTeX answer (delimiters and boxes removed by the normaliser).</summary>
    internal static ReadAnswer? ReadWhole(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed.Length > MaxTextLength ? null : ReadPart(new CandidatePart(BoxedContent.Extract(trimmed, BoxedMode.Last), false), CandidateKind.Whole, trimmed);
    }

    /// <summary>The anchors of these options, built once (building them is not charged to a case's budget).</summary>
    internal static IReadOnlyList<Anchor> PrepareAnchors(GradingOptions options)
    {
        lock (AnchorSets)
        {
            if (!AnchorSets.TryGetValue((options.Targets, options.BoxedPriority), out var built))
            {
                built = AnswerAnchors.Build(options.Targets, options.BoxedPriority);
                AnchorSets[(options.Targets, options.BoxedPriority)] = built;
            }

            return built;
        }
    }

    private static ReadAnswer? ReadAnchored(string text, GradingOptions options)
    {
        var anchors = PrepareAnchors(options);

        string? fallback = null;
        foreach (var candidate in AnswerCandidateFinder.Find(text, anchors))
        {
            GradingBudget.ThrowIfSpent();
            var parts = candidate.Parts.Select(part => ReadPart(part, candidate.Kind, part.Text)).ToList();
            fallback ??= parts[0]?.Fallback ?? AnswerNormalizer.Normalize(candidate.Parts[0].Text).Text;
            if (parts.Count > 1 && parts.All(part => part is not null))
            {
                var items = parts.SelectMany(part => part!.Value is UnorderedAnswer set ? set.Items : [part.Value]).ToList();
                var joined = string.Join(", ", parts.Select(part => part!.Text));
                return new ReadAnswer(joined, new UnorderedAnswer(AnswerParser.KeyOf(joined), items), false, fallback);
            }

            if (parts[0] is { } first)
            {
                return first with { Fallback = fallback };
            }
        }

        return null;
    }

    /// <summary>Reads one candidate; null when it does not read as an answer (Math-Verify moves on to the next match).</summary>
    private static ReadAnswer? ReadPart(CandidatePart part, CandidateKind kind, string reported)
    {
        GradingBudget.ThrowIfSpent();
        var text = part.Text.Trim();
        if (text.Length > MaxAnswerLength && kind != CandidateKind.Number)
        {
            return null;
        }

        switch (kind)
        {
            case CandidateKind.Number:
                return new ReadAnswer(text, AnswerParser.Parse(text), part.IsPercent, text);
            case CandidateKind.Expression:
            {
                var plain = text.Replace('×', '*').Replace('÷', '/');
                return ExpressionParser.TryParse(plain) is null ? null : new ReadAnswer(text, AnswerParser.Parse(plain), false, AnswerParser.KeyOf(plain));
            }

            default:
            {
                var normalized = AnswerNormalizer.Normalize(text);
                if (normalized.Text.Length == 0)
                {
                    return null;
                }

                var value = AnswerParser.Parse(normalized.Text);
                if (value is TextAnswer && kind != CandidateKind.Whole && !ReadsAsWords(normalized.Text))
                {
                    return null;
                }

                return new ReadAnswer(kind == CandidateKind.Whole ? Tidy(reported) : text, value, part.IsPercent || normalized.IsPercent, value.Key);
            }
        }
    }

    /// <summary>Text that Math-Verify's LaTeX parser would still read (as symbols): words, not leftover commands or brackets.</summary>
    private static bool ReadsAsWords(string normalized) => Words().IsMatch(normalized);

    /// <summary>Whether every part of an answer was recognised (no part is leftover text).</summary>
    private static bool IsStructured(AnswerValue value) => value switch
    {
        TextAnswer => false,
        UnorderedAnswer set => set.Items.All(IsStructured),
        BracketedAnswer bracketed => bracketed.Items.All(IsStructured),
        IntervalUnionAnswer union => union.Parts.All(IsStructured),
        EquationAnswer equation => equation.LeftMinusRight is not null || IsStructured(equation.LastSide),
        _ => true,
    };

    private static bool HasSolutionMarkers(string text) =>
        text.Contains("\\boxed", StringComparison.Ordinal) || text.Contains("\\fbox", StringComparison.Ordinal) || text.Contains("####", StringComparison.Ordinal)
        || text.Contains('\n') || AnswerWord().IsMatch(text);

    private static bool HasMathMarkers(string text) =>
        UnescapedDollar().IsMatch(text) || text.Contains("\\[", StringComparison.Ordinal) || text.Contains("\\(", StringComparison.Ordinal)
        || text.Contains("\\boxed", StringComparison.Ordinal) || text.Contains("\\fbox", StringComparison.Ordinal) || text.Contains("####", StringComparison.Ordinal);

    /// <summary>What is reported for a whole answer: its delimiters and a closing full stop removed.</summary>
    private static string Tidy(string answer)
    {
        var tidy = answer.Replace("**", "").Trim();
        while (tidy.Length > 0 && (tidy[^1] is '.' or '。' || (tidy[^1] == ',' && !tidy.EndsWith("\\,", StringComparison.Ordinal))))
        {
            tidy = tidy[..^1].TrimEnd();
        }

        if (tidy.Length >= 2 && tidy[0] == '$' && tidy[^1] == '$' && tidy.IndexOf('$', 1) == tidy.Length - 1)
        {
            tidy = tidy[1..^1].Trim();
        }

        return tidy;
    }

    private static string Run(Func<string> read)
    {
        using var budget = GradingBudget.Start(GradingOptions.Default.TimeBudget);
        try
        {
            return read();
        }
        catch (Exception e) when (e is GradingTimeoutException or RegexMatchTimeoutException or InsufficientExecutionStackException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"^(?:(?<int>-?[1-9]\d{0,2}(?:[ ,]\d{3})+)(?<dec>\.\d+)?|(?<int>-?\d+)(?<dec>\.\d+)|(?<int>-?0)(?<dec>,\d+)|(?<int>-?\d+)(?<dec>,\d{2,})|(?<dec>\.\d+)|(?<int>-?\d+))(?<pct>\s*(?:\\?%|[Pp]ercent|[Pp]ercentage|[Pp]ct))?$")]
    private static partial Regex WholeNumber();

    /// <summary>A bare prediction that is one token ("AZYUK2A", "204_5") or a few words ("Evelyn", "north east") is a text answer.</summary>
    [GeneratedRegex(@"^(?:[\p{L}\p{N}_]+|\p{L}+(?: \p{L}+){0,2})$")]
    private static partial Regex BareWords();

    [GeneratedRegex(@"(?<!\\)\$")]
    private static partial Regex UnescapedDollar();

    [GeneratedRegex(@"(?<!\\)\$[^$]*(?<!\\)\$")]
    private static partial Regex MathSpan();

    [GeneratedRegex(@"[A-Za-z]")]
    private static partial Regex Letter();

    [GeneratedRegex(@"(?i)\banswer\b")]
    private static partial Regex AnswerWord();

    [GeneratedRegex(@"^[\p{L}\p{N}_ ',.:-]+$")]
    private static partial Regex Words();
}

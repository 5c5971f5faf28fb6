using System.Text.RegularExpressions;

namespace PrunerPipeline.Grading.Extraction;

/// <summary>
/// The places an answer is looked for, with Math-Verify's priorities (huggingface/Math-Verify,
/// src/math_verify/parser.py: <c>lazy_latex_regex</c>, <c>lazy_expr_regex</c>; README "Answer Extraction"):
/// <list type="number">
/// <item>priority 0: "final answer is X. I hope …" (the Minerva few-shot format);</item>
/// <item>the boxed priority (0 by default here, 50 in Math-Verify's default): a math span holding <c>\boxed{}</c>,
/// or the last <c>\boxed{}</c> group of the text;</item>
/// <item>40: a GSM8K <c>#### X</c> line (ours: Math-Verify would reach the same number through the bare-number rule);</item>
/// <item>50: "final answer … is X"; 100: "answer: … X"; 200: "answer … X" (within 50 characters, or after the last
/// <c>=</c> within 100 for plain expressions);</item>
/// <item>300: any math span (<c>$…$</c>, <c>$$…$$</c>, <c>\[…\]</c>, <c>\(…\)</c>, <c> […] </c>, a bare <c>\frac{a}{b}</c>)
/// and any plain number or arithmetic expression.</item>
/// </list>
/// Within one priority the match that ends last wins (then the one that starts first); the first that reads as an
/// answer is taken. Up to six math spans joined by "and", "or" or "," form one answer ("$1$ and $2$").
/// The patterns are written from the behaviour Math-Verify documents and tests, not copied from its code.
/// </summary>
internal static class AnswerAnchors
{
    /// <summary>
    /// A safety net against catastrophic backtracking (wall-clock). The patterns are written to run in about linear time,
    /// and texts are capped at <see cref="AnswerExtractor.MaxTextLength"/>; a real solution's match takes well under 1 ms,
    /// so 150 ms leaves two orders of magnitude for a loaded machine, while a pathological text (10 000 unclosed
    /// <c>\[</c>, which made one anchor quadratic and spent ~430 ms of CPU under a 1 s net) stays near the 100 ms budget.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(150);

    private const string Currency = "$€£¥₹₽₪₩₫฿₡₢₣₤₥₦₧₨₭₮₯₰₱₲₳₴₵₶₷₸₺₻₼₾₿";

    /// <summary>Thousands groups need a leading 1–9 ("1,000.99", "7 425 000"); a lone comma before digits is a decimal comma ("2,74", "0,111").</summary>
    private const string Number =
        @"(?<!\d)(?:(?<int>-?[1-9]\d{0,2}(?:[ ,]\d{3})+)(?<dec>\.\d+)?|(?<int>-?\d+)(?<dec>[.,]\d+)|(?<dec>\.\d+)|(?<int>-?\d+))" +
        @"(?<pct>\s*(?:%|[Pp]ercent|\s*[Pp]ercentage|\s*[Pp]ct))?";

    private const string Operators = @"+\-*×/^()÷";
    private const string ExpressionChars = @"[\d.\s" + Operators + "]";
    /// <summary>
    /// A digit, then a run of digits, spaces and operators holding an operator before its last character. The operator
    /// is asserted by a lookahead rather than matched in the middle of two runs, which backtracks quadratically.
    /// </summary>
    private const string PlainExpression =
        @"(?<expr>-?\(?-?\d(?=" + ExpressionChars + "*?[" + Operators + "]" + ExpressionChars + ")" + ExpressionChars + @"+\)?)";
    private const string PlainPrefix = @"(?:^|\s|=)(?:\*\*)?";
    private const string PlainSuffix = @"(?:\*\*)?(?:\.|,|:|\s|\)|\$|$)";
    private const string AnchoredExpression = "(?:" + PlainPrefix + PlainExpression + PlainSuffix + ")";
    private const string AnchoredNumber = "(?:" + PlainPrefix + "[" + Currency + "]?" + Number + ")";
    private const string ExpressionOrNumber = "(?:" + AnchoredExpression + "|" + AnchoredNumber + ")";

    private const string PercentSuffix = @"(?:\\?%|[Pp]ercent|[Pp]ercentage|[Pp]ct)";
    private const string Separator = @"\s*(?:,?and|,?or|,)\s*";

    /// <summary>One math environment, its content captured as c1…c6 when <paramref name="named"/>.</summary>
    private static string Environments(bool named)
    {
        string Content(string name, string c) => (named ? $"(?<{name}>" : "(?:") + c + "+?)";

        var alternatives = new List<string>
        {
            @"(?<!\\)\$\$" + Content("c1", @"(?:[^$]|\$(?!\$))") + @"(?<!\\)\$\$",
            @"(?<!\\)\\\[" + Content("c2", @"(?:[^\\]|\\(?!\]))") + @"(?<!\\)\\\]",
            @"(?<!\\|\d)\$" + Content("c3", @"(?:\\[$]|[^\n$])") + @"(?<!\\)\$",
            @"(?<!\\)\\\(" + Content("c4", @"(?:[^\\\n]|\\(?!\)))") + @"(?<!\\)\\\)",
            @"\s\[" + Content("c5", @"[^\n\]\[]") + @"\]\s",
        };
        const string simple = @"-?\d+(?:[.,]\d+)?";
        alternatives.Add((named ? "(?<c6>" : "(?:") + @"-?\\frac\{" + simple + @"\}\{" + simple + @"\})");

        return "(?:" + string.Join("|", alternatives) + ")";
    }

    private static string Spans()
    {
        var unit = "(?<unit>" + Environments(named: false) + @"(?:\s*" + PercentSuffix + ")?)";
        return "(?:" + unit + "(?:" + Separator + unit + "){0,5})";
    }

    private static Regex Compile(string pattern, bool singleline) =>
        new(pattern, (singleline ? RegexOptions.Singleline : RegexOptions.None) | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Reads one captured span back into its content and percent sign.</summary>
    public static readonly Regex Span = Compile(
        "^" + Environments(named: true) + @"(?:\s*(?<pct>" + PercentSuffix + "))?$", singleline: true);

    private static readonly Regex LatexSpans = Compile(Spans(), singleline: true);

    public static IReadOnlyList<Anchor> Build(ExtractionTargets targets, int boxedPriority)
    {
        var anchors = new List<Anchor>();
        if (targets.HasFlag(ExtractionTargets.Latex))
        {
            var spans = Spans();
            anchors.Add(new Anchor(Compile(@"(?i:final answer is):?\s*" + spans + @"\.?\s?I hope", true), 0, CandidateKind.Latex));
            anchors.Add(new Anchor(Compile(@"(?i:final answer.{0,100}?)\s+is:?\s*" + spans, true), 50, CandidateKind.Latex));
            anchors.Add(new Anchor(Compile(@"(?i:answer):.{0,50}?" + spans, true), 100, CandidateKind.Latex));
            anchors.Add(new Anchor(Compile(@"(?i:answer).{0,50}?" + spans, true), 200, CandidateKind.Latex));
            anchors.Add(new Anchor(LatexSpans, 300, CandidateKind.Latex));
            if (boxedPriority >= 0)
            {
                // A math span holding a \boxed{} (the plain span pattern, filtered: a pattern demanding the box inside
                // each span backtracks cubically on long texts full of dollar signs).
                anchors.Add(new Anchor(LatexSpans, boxedPriority, CandidateKind.Latex, RequiresBoxed: true));
                anchors.Add(new Anchor(null, boxedPriority, CandidateKind.Latex));
            }
        }

        // Ours: a multiple-choice letter right after "answer is" / "answer:" ("the answer is (B)"); Math-Verify has a
        // separate string target for letters, which the README advises against mixing with the others.
        anchors.Add(new Anchor(Compile(@"(?i:answer)\s*(?:is|:)\s*(?:\*\*)?\s*(?<choice>\([A-E]\)|[A-E])(?=[\s.,:;*)]|$)", false), 250, CandidateKind.Whole));

        if (targets.HasFlag(ExtractionTargets.Expression))
        {
            anchors.Add(new Anchor(Compile(@"####[ \t]*(?<hash>[^\n]*)", false), 40, CandidateKind.Whole));
            anchors.Add(new Anchor(Compile(@"(?i:final answer is):?\s*" + ExpressionOrNumber + @"\.?\s?I hope", false), 0, CandidateKind.Number));
            anchors.Add(new Anchor(Compile(@"(?i:final answer.{0,100}?)\s+is:?" + ExpressionOrNumber, false), 50, CandidateKind.Number));
            anchors.Add(new Anchor(Compile(@"(?i:answer):(?:.{0,100}=\s*|.{0,50}?)" + ExpressionOrNumber + @"(?!\s*=)", false), 100, CandidateKind.Number));
            anchors.Add(new Anchor(Compile(@"(?i:answer)(?:.{0,100}=\s*|.{0,50}?)" + ExpressionOrNumber + @"(?!\s*=)", false), 200, CandidateKind.Number));
            anchors.Add(new Anchor(Compile(AnchoredExpression, false), 300, CandidateKind.Number));
            anchors.Add(new Anchor(Compile(AnchoredNumber, false), 300, CandidateKind.Number));
        }

        return anchors;
    }
}

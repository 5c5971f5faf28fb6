using System.Numerics;
using System.Text.RegularExpressions;
using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// Decides whether two parsed answers say the same thing (Math-Verify's <c>verify</c>, src/math_verify/grader.py).
/// Numbers: when either side is a decimal literal both are rounded to <see cref="GradingOptions.FloatRounding"/>
/// decimals (Math-Verify's <c>float_rounding</c>), otherwise they must agree to 12 significant digits (exact in effect); expressions with variables agree when they agree at several random points;
/// equations when their sides' differences are proportional; tuples and intervals item by item with the same
/// brackets; sets, solution lists and unions as multisets.
/// </summary>
internal static partial class AnswerEquivalence
{
    /// <summary>Relative tolerance for numbers without a decimal literal: double rounding only (1/3 + 1/6 is 1/2).</summary>
    private const double ExactTolerance = 1e-12;

    /// <summary>Relative tolerance for identities checked at random points, where only rounding separates equal sides.</summary>
    private const double IdentityTolerance = 1e-7;

    private const int RandomPoints = 8;

    public static bool Equivalent(AnswerValue gold, AnswerValue predicted, Comparison comparison)
    {
        GradingBudget.ThrowIfSpent();

        // An inequality restating the question is not an interval answer (Math-Verify's allow_set_relation_comp).
        if (!comparison.Options.AllowSetRelationComparison && IsFromRelation(predicted) && !IsFromRelation(gold)
            && gold is BracketedAnswer or IntervalUnionAnswer)
        {
            return false;
        }

        if (string.Equals(gold.Key, predicted.Key, StringComparison.Ordinal))
        {
            return true;
        }

        return (gold, predicted) switch
        {
            (EquationAnswer g, EquationAnswer p) => SameEquation(g, p, comparison),
            (EquationAnswer { IsAssignment: true } g, _) => Equivalent(g.LastSide, predicted, comparison),
            (EquationAnswer, _) => false,
            (_, EquationAnswer p) => Equivalent(gold, p.LastSide, comparison),
            (RelationAnswer g, RelationAnswer p) => SameRelations(g, p),
            (RelationAnswer g, BracketedAnswer { Relation: { } p }) => SameRelations(g, p),
            (BracketedAnswer { Relation: { } g }, RelationAnswer p) => SameRelations(g, p),
            (ChoiceAnswer g, ChoiceAnswer p) => g.Letter == p.Letter,
            (UnorderedAnswer g, UnorderedAnswer p) => SameMultiset(g.Items, p.Items, comparison),
            (UnorderedAnswer { Items.Count: 1 } g, _) => Equivalent(g.Items[0], predicted, comparison),
            (_, UnorderedAnswer { Items.Count: 1 } p) => Equivalent(gold, p.Items[0], comparison),
            (IntervalUnionAnswer g, IntervalUnionAnswer p) => SameMultiset(g.Parts, p.Parts, comparison),
            (BracketedAnswer g, BracketedAnswer p) => g.Open == p.Open && g.Close == p.Close && g.Items.Count == p.Items.Count
                && g.Items.Zip(p.Items).All(pair => Equivalent(pair.First, pair.Second, comparison)),
            // An open interval and a pair are the same two numbers (Math-Verify compares them element-wise).
            (BracketedAnswer { Open: '(', Close: ')', Items.Count: 2 } g, UnorderedAnswer { Items.Count: 2 } p) =>
                g.Items.Zip(p.Items).All(pair => Equivalent(pair.First, pair.Second, comparison)),
            (ExpressionAnswer g, ExpressionAnswer p) => SameValue(g, p, comparison),
            (TextAnswer g, _) => string.Equals(g.Key, predicted.Key, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>Proportional sides (2x + 4y − 3 = 0 is y = −x/2 + 3/4); else, with the same left side, the same right side ((p,q) = (3,2)).</summary>
    private static bool SameEquation(EquationAnswer gold, EquationAnswer predicted, Comparison comparison)
    {
        if (gold.LeftMinusRight is { IsConstant: false } g && predicted.LeftMinusRight is { IsConstant: false } p && Proportional(g, p, positive: false))
        {
            return true;
        }

        var goldLeft = gold.Key[..Math.Max(0, gold.Key.IndexOf('='))];
        var predictedLeft = predicted.Key[..Math.Max(0, predicted.Key.IndexOf('='))];
        return goldLeft.Length > 0 && goldLeft == predictedLeft && Equivalent(gold.LastSide, predicted.LastSide, comparison);
    }

    /// <summary>Relations pair up in order with the same operator and proportional sides (a positive factor for &lt; and ≤).</summary>
    private static bool SameRelations(RelationAnswer gold, RelationAnswer predicted) =>
        gold.Relations.Count == predicted.Relations.Count
        && gold.Relations.Zip(predicted.Relations).All(pair =>
            pair.First.Operator == pair.Second.Operator
            && Proportional(pair.First.LeftMinusRight, pair.Second.LeftMinusRight, positive: pair.First.Operator != "!="));

    private static bool IsFromRelation(AnswerValue value) => value switch
    {
        BracketedAnswer bracketed => bracketed.FromRelation,
        IntervalUnionAnswer union => union.Parts.Count > 0 && union.Parts.All(IsFromRelation),
        _ => false,
    };

    private static bool SameMultiset(IReadOnlyList<AnswerValue> gold, IReadOnlyList<AnswerValue> predicted, Comparison comparison)
    {
        if (gold.Count != predicted.Count)
        {
            return false;
        }

        // Greedy matching is exact here: equivalence is transitive, so any match for an item is as good as another.
        var unmatched = predicted.ToList();
        foreach (var item in gold)
        {
            var match = unmatched.FindIndex(candidate => Equivalent(item, candidate, comparison));
            if (match < 0)
            {
                return false;
            }

            unmatched.RemoveAt(match);
        }

        return true;
    }

    private static bool SameValue(ExpressionAnswer goldAnswer, ExpressionAnswer predictedAnswer, Comparison comparison)
    {
        var gold = goldAnswer.Expression;
        var predicted = predictedAnswer.Expression;
        if (gold.IsConstant && predicted.IsConstant)
        {
            var g = gold.Evaluate();
            var p = predicted.Evaluate();
            var rounding = IsDecimalLiteral(goldAnswer.Key) || IsDecimalLiteral(predictedAnswer.Key) ? comparison.Options.FloatRounding : (int?)null;
            if (IsOverflow(g, goldAnswer.Key) || IsOverflow(p, predictedAnswer.Key))
            {
                return false;
            }

            return NumbersAgree(g, p, rounding)
                || (comparison.Percent && (NumbersAgree(g, p * 100, rounding) || NumbersAgree(g * 100, p, rounding)));
        }

        var renaming = Renaming(gold.Variables, predicted.Variables, comparison.Options.Strict);
        if (renaming is null)
        {
            return false;
        }

        var agreeing = 0;
        foreach (var point in RandomAssignments(gold.Variables))
        {
            var g = gold.Evaluate(point);
            var p = predicted.Evaluate(renaming.ToDictionary(pair => pair.Key, pair => point[pair.Value]));
            if (!IsFinite(g) && !IsFinite(p))
            {
                continue;
            }

            if (!Close(g, p, IdentityTolerance))
            {
                return false;
            }

            agreeing++;
        }

        return agreeing >= RandomPoints / 2;
    }

    /// <summary>
    /// Predicted variable → gold variable. With strict names the sets must be equal; without, the same number of
    /// variables is paired in name order (Math-Verify's strict=False substitutes the prediction's symbols by the gold's).
    /// </summary>
    private static Dictionary<string, string>? Renaming(IReadOnlySet<string> gold, IReadOnlySet<string> predicted, bool strict)
    {
        if (gold.SetEquals(predicted))
        {
            return predicted.ToDictionary(name => name, name => name);
        }

        if (strict || gold.Count != predicted.Count)
        {
            return null;
        }

        return predicted.Order(StringComparer.Ordinal).Zip(gold.Order(StringComparer.Ordinal)).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    /// <summary>A value that overflowed (2^{10^{10}}) is not comparable; a written \infty is.</summary>
    private static bool IsOverflow(Complex value, string key) =>
        (double.IsInfinity(value.Real) || double.IsInfinity(value.Imaginary)) && !key.Contains("infty", StringComparison.Ordinal);

    private static bool IsDecimalLiteral(string key) => DecimalLiteral().IsMatch(key);

    private static bool Proportional(MathExpression gold, MathExpression predicted, bool positive)
    {
        if (!gold.Variables.SetEquals(predicted.Variables) || gold.IsConstant)
        {
            return false;
        }

        Complex? ratio = null;
        var agreeing = 0;
        foreach (var point in RandomAssignments(gold.Variables))
        {
            var g = gold.Evaluate(point);
            var p = predicted.Evaluate(point);
            if (!IsFinite(g) || !IsFinite(p) || Complex.Abs(p) < 1e-9)
            {
                continue;
            }

            ratio ??= g / p;
            if (Complex.Abs(ratio.Value) < 1e-12 || !Close(g, ratio.Value * p, IdentityTolerance) || (positive && ratio.Value.Real <= 0))
            {
                return false;
            }

            agreeing++;
        }

        return agreeing >= RandomPoints / 2;
    }

    /// <summary>Points in [0.5, 2.5) from a fixed seed: away from 0 and 1, where distinct expressions often coincide.</summary>
    private static IEnumerable<IReadOnlyDictionary<string, Complex>> RandomAssignments(IReadOnlySet<string> variables)
    {
        var random = new Random(20250124);
        var names = variables.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < RandomPoints; i++)
        {
            yield return names.ToDictionary(name => name, _ => new Complex(0.5 + 2 * random.NextDouble(), 0));
        }
    }

    /// <summary>
    /// Two numbers are the same answer when, rounded to <paramref name="rounding"/> decimals (a decimal literal took part),
    /// they are equal; otherwise when they agree to 12 significant digits (Math-Verify compares such numbers exactly).
    /// </summary>
    internal static bool NumbersAgree(Complex gold, Complex predicted, int? rounding)
    {
        if (double.IsNaN(gold.Real) || double.IsNaN(predicted.Real) || double.IsNaN(gold.Imaginary) || double.IsNaN(predicted.Imaginary))
        {
            return false;
        }

        if (double.IsInfinity(gold.Real) || double.IsInfinity(predicted.Real))
        {
            return gold.Real == predicted.Real;
        }

        if (rounding is { } digits)
        {
            return Rounded(gold.Real, digits) == Rounded(predicted.Real, digits) && Rounded(gold.Imaginary, digits) == Rounded(predicted.Imaginary, digits);
        }

        return Close(gold, predicted, ExactTolerance);
    }

    /// <summary>Rounds half away from zero; beyond 15 significant digits doubles carry no decimals to round.</summary>
    private static double Rounded(double value, int digits) =>
        Math.Abs(value) >= 1e15 ? value : Math.Round(value, Math.Clamp(digits, 0, 15), MidpointRounding.AwayFromZero);

    private static bool Close(Complex a, Complex b, double relative) =>
        Complex.Abs(a - b) <= relative * Math.Max(Math.Max(Complex.Abs(a), Complex.Abs(b)), 1e-8);

    private static bool IsFinite(Complex value) => double.IsFinite(value.Real) && double.IsFinite(value.Imaginary);

    [GeneratedRegex(@"^-?\d*\.\d+$")]
    private static partial Regex DecimalLiteral();
}

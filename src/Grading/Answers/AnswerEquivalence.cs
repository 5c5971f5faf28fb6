using System.Numerics;
using PrunerPipeline.Grading.Expressions;

namespace PrunerPipeline.Grading.Answers;

/// <summary>
/// Decides whether two parsed answers say the same thing. Numbers agree within a relative tolerance
/// (integers exactly); expressions with variables agree when they agree at several random points;
/// equations when their sides' differences are proportional; tuples and intervals item by item with the same
/// brackets; sets, solution lists and unions as multisets.
/// </summary>
internal static class AnswerEquivalence
{
    /// <summary>Relative tolerance for numbers: 0.3333 is not 1/3, 1.4142136 is √2.</summary>
    public const double NumberTolerance = 1e-4;

    /// <summary>Relative tolerance for identities checked at random points, where only rounding separates equal sides.</summary>
    private const double IdentityTolerance = 1e-7;

    private const int RandomPoints = 8;

    public static bool Equivalent(AnswerValue gold, AnswerValue predicted, bool percent)
    {
        if (string.Equals(gold.Key, predicted.Key, StringComparison.Ordinal))
        {
            return true;
        }

        return (gold, predicted) switch
        {
            (ChoiceAnswer g, ChoiceAnswer p) => g.Letter == p.Letter,
            (UnorderedAnswer g, UnorderedAnswer p) => SameMultiset(g.Items, p.Items, percent),
            (UnorderedAnswer { Items.Count: 1 } g, _) => Equivalent(g.Items[0], predicted, percent),
            (_, UnorderedAnswer { Items.Count: 1 } p) => Equivalent(gold, p.Items[0], percent),
            (IntervalUnionAnswer g, IntervalUnionAnswer p) => SameMultiset(g.Parts, p.Parts, percent),
            (BracketedAnswer g, BracketedAnswer p) => g.Open == p.Open && g.Close == p.Close && g.Items.Count == p.Items.Count
                && g.Items.Zip(p.Items).All(pair => Equivalent(pair.First, pair.Second, percent)),
            (ExpressionAnswer g, ExpressionAnswer p) => SameValue(g.Expression, p.Expression, percent),
            (EquationAnswer g, EquationAnswer p) => Proportional(g.LeftMinusRight, p.LeftMinusRight),
            (TextAnswer g, _) => string.Equals(g.Key, predicted.Key, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    private static bool SameMultiset(IReadOnlyList<AnswerValue> gold, IReadOnlyList<AnswerValue> predicted, bool percent)
    {
        if (gold.Count != predicted.Count)
        {
            return false;
        }

        // Greedy matching is exact here: equivalence is transitive, so any match for an item is as good as another.
        var unmatched = predicted.ToList();
        foreach (var item in gold)
        {
            var match = unmatched.FindIndex(candidate => Equivalent(item, candidate, percent));
            if (match < 0)
            {
                return false;
            }

            unmatched.RemoveAt(match);
        }

        return true;
    }

    private static bool SameValue(MathExpression gold, MathExpression predicted, bool percent)
    {
        if (gold.IsConstant && predicted.IsConstant)
        {
            var g = gold.Evaluate();
            var p = predicted.Evaluate();
            return NumbersAgree(g, p) || (percent && (NumbersAgree(g, p * 100) || NumbersAgree(g, p / 100)));
        }

        if (!gold.Variables.SetEquals(predicted.Variables))
        {
            return false;
        }

        var agreeing = 0;
        foreach (var point in RandomAssignments(gold.Variables))
        {
            var g = gold.Evaluate(point);
            var p = predicted.Evaluate(point);
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

    private static bool Proportional(MathExpression gold, MathExpression predicted)
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
            if (Complex.Abs(ratio.Value) < 1e-12 || !Close(g, ratio.Value * p, IdentityTolerance))
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
    /// Two numbers are the same answer when they agree to <see cref="NumberTolerance"/> relative;
    /// an integer gold is matched only exactly (8164961 is not 8164962).
    /// </summary>
    internal static bool NumbersAgree(Complex gold, Complex predicted)
    {
        if (double.IsNaN(gold.Real) || double.IsNaN(predicted.Real))
        {
            return false;
        }

        if (double.IsInfinity(gold.Real) || double.IsInfinity(predicted.Real))
        {
            return gold.Real == predicted.Real;
        }

        if (gold.Imaginary == 0 && IsInteger(gold.Real) && Math.Abs(gold.Real) >= 1)
        {
            return predicted.Imaginary == 0 && Math.Abs(gold.Real - predicted.Real) <= 1e-9 * Math.Abs(gold.Real);
        }

        return Close(gold, predicted, NumberTolerance);
    }

    private static bool Close(Complex a, Complex b, double relative) =>
        Complex.Abs(a - b) <= relative * Math.Max(Math.Max(Complex.Abs(a), Complex.Abs(b)), 1e-8);

    private static bool IsInteger(double value) => Math.Abs(value) < 1e15 && value == Math.Round(value);

    private static bool IsFinite(Complex value) => double.IsFinite(value.Real) && double.IsFinite(value.Imaginary);
}

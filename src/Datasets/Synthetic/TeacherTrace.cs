using System.Text;

namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// Writes a long-thought teacher solution for an <see cref="ArithmeticChain"/>:
/// <code>
/// &lt;think&gt;
/// 47+38=85
/// 85-12=73
/// check:
/// 47+38=85
/// 85-12=73
/// &lt;/think&gt;
/// \boxed{73}
/// </code>
/// One short line per step, then a number of re-check passes that redo every step. The number of re-checks is
/// drawn independently of the level: that is the length disharmony O1-Pruner removes, since a re-check never
/// changes the answer. Occasionally a step is first written with a wrong result and corrected on the next line
/// (<c>wait, 47+38=85</c>). The boxed answer is the result of the last pass.
/// Task v2 adds a <see cref="FirstPassSlip"/>: one first-pass step written wrong and carried on uncorrected, so the
/// first pass ends on a wrong total. Every re-check recomputes from the question; a pass whose result disagrees with
/// the previous one ends with <c>fixed: 73</c>, and the corrected value is boxed. With no re-check the slip stands.
/// </summary>
public static class TeacherTrace
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string RecheckHeader = "check:";
    public const string CorrectionPrefix = "wait, ";
    public const string FixPrefix = "fixed: ";

    internal static string Write(ArithmeticChain chain, int rechecks, double detourProbability, ref SplitMix64 random, FirstPassSlip? slip = null)
    {
        var text = new StringBuilder();
        text.Append(ThinkOpen).Append('\n');
        var last = 0;
        for (var pass = 0; pass <= rechecks; pass++)
        {
            if (pass > 0)
                text.Append(RecheckHeader).Append('\n');
            var value = chain.Start;
            for (var s = 0; s < chain.Steps.Count; s++)
            {
                var step = chain.Steps[s];
                var result = step.Apply(value);
                var slips = pass == 0 && slip is not null && slip.Step == s;
                if (slips)
                    result += slip!.Delta;
                var line = $"{value}{step.Operator}{step.Operand}=";
                // A detour draws for every step (so v1's stream is unchanged), but never lands on the slip: a slip stays uncorrected.
                if (random.NextDouble() < detourProbability && !slips)
                    text.Append(line).Append(WrongResult(result, ref random)).Append('\n').Append(CorrectionPrefix);
                text.Append(line).Append(result).Append('\n');
                value = result;
            }
            if (pass > 0 && value != last)
                text.Append(FixPrefix).Append(value).Append('\n');
            last = value;
        }
        text.Append(ThinkClose).Append('\n');
        text.Append("\\boxed{").Append(last).Append('}');
        return text.ToString();
    }

    /// <summary>
    /// Task v2's uncorrected first-pass slip for <paramref name="chain"/>: a random step whose result is off by ±1 or
    /// ±10, chosen so that every later running total (carried on from the wrong value) stays in [0, maxValue]; null when
    /// no such slip exists.
    /// </summary>
    internal static FirstPassSlip? DrawSlip(ArithmeticChain chain, int maxValue, ref SplitMix64 random)
    {
        var totals = chain.RunningTotals();
        int[] deltas = [1, -1, 10, -10];
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var step = random.Next(0, totals.Count - 1);
            var delta = deltas[random.Next(0, deltas.Length - 1)];
            if (totals.Skip(step).All(t => t + delta >= 0 && t + delta <= maxValue))
                return new FirstPassSlip(step, delta);
        }
        return null;
    }

    /// <summary>A plausible slip: off by one or by ten (a dropped or extra carry), never negative, never the right result.</summary>
    private static int WrongResult(int result, ref SplitMix64 random)
    {
        int[] slips = [1, -1, 10, -10];
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var wrong = result + slips[random.Next(0, slips.Length - 1)];
            if (wrong >= 0)
                return wrong;
        }
        return result + 1;
    }
}

/// <summary>Task v2: first-pass step <paramref name="Step"/> (0-based) is written <paramref name="Delta"/> off its result and carried on.</summary>
internal sealed record FirstPassSlip(int Step, int Delta);

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
/// </summary>
public static class TeacherTrace
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string RecheckHeader = "check:";
    public const string CorrectionPrefix = "wait, ";

    internal static string Write(ArithmeticChain chain, int rechecks, double detourProbability, ref SplitMix64 random)
    {
        var text = new StringBuilder();
        text.Append(ThinkOpen).Append('\n');
        var last = 0;
        for (var pass = 0; pass <= rechecks; pass++)
        {
            if (pass > 0)
                text.Append(RecheckHeader).Append('\n');
            var value = chain.Start;
            foreach (var step in chain.Steps)
            {
                var result = step.Apply(value);
                var line = $"{value}{step.Operator}{step.Operand}=";
                if (random.NextDouble() < detourProbability)
                    text.Append(line).Append(WrongResult(result, ref random)).Append('\n').Append(CorrectionPrefix);
                text.Append(line).Append(result).Append('\n');
                value = result;
            }
            last = value;
        }
        text.Append(ThinkClose).Append('\n');
        text.Append("\\boxed{").Append(last).Append('}');
        return text.ToString();
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

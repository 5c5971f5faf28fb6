namespace PrunerPipeline.Datasets.Synthetic;

/// <summary>
/// A synthetic problem: a start number followed by chained additions/subtractions, e.g. <c>47+38-12+5</c>.
/// Its level is the number of operations; every running total stays within [0, max value].
/// </summary>
public sealed record ArithmeticChain(int Start, IReadOnlyList<ChainStep> Steps)
{
    public int Level => Steps.Count;

    public string Expression => Start + string.Concat(Steps.Select(s => $"{s.Operator}{s.Operand}"));

    public string Question => $"What is {Expression}?";

    /// <summary>The running totals after each step (the last one is the answer).</summary>
    public IReadOnlyList<int> RunningTotals()
    {
        var totals = new List<int>(Steps.Count);
        var value = Start;
        foreach (var step in Steps)
        {
            value = step.Apply(value);
            totals.Add(value);
        }
        return totals;
    }

    public int Answer => RunningTotals()[^1];

    internal static ArithmeticChain Generate(ref SplitMix64 random, int level, SyntheticTaskOptions options)
    {
        var value = random.Next(options.MinStart, options.MaxValue);
        var start = value;
        var steps = new List<ChainStep>(level);
        for (var i = 0; i < level; i++)
        {
            var add = random.NextDouble() < 0.5;
            // Keep every running total in [0, MaxValue] so a result never needs more digits than the numbers in the question.
            if (add && value >= options.MaxValue) add = false;
            if (!add && value <= 0) add = true;
            var room = add ? options.MaxValue - value : value;
            var operand = random.Next(1, Math.Min(options.MaxOperand, room));
            var step = new ChainStep(add ? '+' : '-', operand);
            value = step.Apply(value);
            steps.Add(step);
        }
        return new ArithmeticChain(start, steps);
    }
}

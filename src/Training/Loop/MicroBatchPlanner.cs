namespace PrunerPipeline.Training.Loop;

/// <summary>
/// Splits one optimizer step's examples into micro-batches of similar length so padding stays small and each
/// micro-batch's padded size (rows × longest row) stays under a token budget; gradients accumulate across them.
/// </summary>
/// <remarks>
/// The examples are sorted by length, and a micro-batch also ends where taking the next (longer) example would make
/// more than <see cref="MaxPaddingShare"/> of its padded tokens padding. Sampled solutions spread widely in length: on
/// the built-in model's O1-Pruner step (16 solutions of 30–200 tokens) one padded micro-batch computed ~1.75 tokens per
/// real one; splitting where padding passes a quarter took the demo's O1-Pruner training from 66.1 s (untrimmed, one
/// micro-batch) to 34.4 s (with the throttled heap trim), with the same result (docs/benchmarks.md, issue 20). The step's loss is normalised over the whole step, so the split does not
/// change the gradient beyond float rounding.
/// </remarks>
public static class MicroBatchPlanner
{
    /// <summary>The largest share of a micro-batch's padded tokens that may be padding before it is split.</summary>
    public const double MaxPaddingShare = 0.25;

    /// <param name="stepExamples">The examples of one step (indices into the recipe).</param>
    /// <param name="shape">Rows an example adds to a micro-batch and its longest row in tokens (prompt + completion).</param>
    /// <param name="maxTokens">Budget of padded tokens per micro-batch; an example larger than the budget goes alone.</param>
    public static IReadOnlyList<IReadOnlyList<int>> Plan(IReadOnlyList<int> stepExamples, Func<int, (int Rows, int Length)> shape, int maxTokens)
    {
        var sorted = stepExamples.Select(i => (Index: i, Shape: shape(i))).OrderBy(e => e.Shape.Length).ThenBy(e => e.Index).ToList();
        var batches = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        int rows = 0, longest = 0;
        long real = 0;
        foreach (var (index, (exampleRows, length)) in sorted)
        {
            var newLongest = Math.Max(longest, length);
            var padded = (long)(rows + exampleRows) * newLongest;
            var realWith = real + (long)exampleRows * length;
            if (current.Count > 0 && (padded > maxTokens || padded - realWith > MaxPaddingShare * padded))
            {
                batches.Add(current);
                current = [];
                rows = 0;
                real = 0;
                newLongest = length;
            }
            current.Add(index);
            rows += exampleRows;
            real += (long)exampleRows * length;
            longest = newLongest;
        }
        if (current.Count > 0)
        {
            batches.Add(current);
        }
        return batches;
    }
}

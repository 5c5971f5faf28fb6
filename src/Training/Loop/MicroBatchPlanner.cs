namespace PrunerPipeline.Training.Loop;

/// <summary>
/// Splits one optimizer step's examples into micro-batches of similar length so padding stays small and each
/// micro-batch's padded size (rows × longest row) stays under a token budget; gradients accumulate across them.
/// </summary>
public static class MicroBatchPlanner
{
    /// <param name="stepExamples">The examples of one step (indices into the recipe).</param>
    /// <param name="shape">Rows an example adds to a micro-batch and its longest row in tokens (prompt + completion).</param>
    /// <param name="maxTokens">Budget of padded tokens per micro-batch; an example larger than the budget goes alone.</param>
    public static IReadOnlyList<IReadOnlyList<int>> Plan(IReadOnlyList<int> stepExamples, Func<int, (int Rows, int Length)> shape, int maxTokens)
    {
        var sorted = stepExamples.Select(i => (Index: i, Shape: shape(i))).OrderBy(e => e.Shape.Length).ThenBy(e => e.Index).ToList();
        var batches = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        int rows = 0, longest = 0;
        foreach (var (index, (exampleRows, length)) in sorted)
        {
            var newLongest = Math.Max(longest, length);
            if (current.Count > 0 && (long)(rows + exampleRows) * newLongest > maxTokens)
            {
                batches.Add(current);
                current = [];
                rows = 0;
                newLongest = length;
            }
            current.Add(index);
            rows += exampleRows;
            longest = newLongest;
        }
        if (current.Count > 0)
        {
            batches.Add(current);
        }
        return batches;
    }
}

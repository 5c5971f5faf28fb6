namespace PrunerPipeline.TestSupport;

/// <summary>
/// The teacher-forced inputs of the tests' tiny next-token policies, flattened row-major over (B, T) with T the longest
/// completion: at step t the previous token (the prompt's last at t = 0), the completion's token t as target, and
/// mask 1 where the completion has a token t.
/// </summary>
public sealed record NextTokenBatch(int Rows, int Width, long[] Previous, long[] Targets, float[] Mask)
{
    public static NextTokenBatch Of(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        var width = completions.Max(c => c.Length);
        var previous = new long[completions.Count * width];
        var targets = new long[completions.Count * width];
        var mask = new float[completions.Count * width];
        for (var b = 0; b < completions.Count; b++)
        {
            for (var t = 0; t < completions[b].Length; t++)
            {
                previous[b * width + t] = t == 0 ? prompts[b][^1] : completions[b][t - 1];
                targets[b * width + t] = completions[b][t];
                mask[b * width + t] = 1;
            }
        }
        return new NextTokenBatch(completions.Count, width, previous, targets, mask);
    }
}

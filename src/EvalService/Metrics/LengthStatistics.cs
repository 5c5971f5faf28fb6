namespace PrunerPipeline.EvalService.Metrics;

/// <summary>Solution lengths in tokens: mean and nearest-rank percentiles.</summary>
public sealed record LengthStatistics(int Count, double Mean, double P50, double P90, int Min, int Max)
{
    public static LengthStatistics Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static LengthStatistics Of(IEnumerable<int> lengths)
    {
        var sorted = lengths.Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }
        return new LengthStatistics(sorted.Length, sorted.Average(), Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted[0], sorted[^1]);
    }

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    public static double Percentile(IReadOnlyList<int> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

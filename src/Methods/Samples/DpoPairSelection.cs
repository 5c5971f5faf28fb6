namespace PrunerPipeline.Training.Samples;

/// <summary>The DPO baseline's data (DESIGN.md §1.4): per problem, (shortest correct, longest correct) as (chosen, rejected).</summary>
public static class DpoPairSelection
{
    /// <summary>A problem needs two correct samples of different lengths to give a pair; equal lengths teach nothing about length.</summary>
    public static IReadOnlyList<PreferencePair> Select(IReadOnlyList<TrainingSample> samples) =>
        samples
            .Where(s => s.Correct)
            .GroupBy(s => s.ProblemId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var byLength = g.OrderBy(s => s.Length).ThenBy(s => s.SampleIndex).ToArray();
                return (Shortest: byLength[0], Longest: byLength[^1]);
            })
            .Where(p => p.Longest.Length > p.Shortest.Length)
            .Select(p => new PreferencePair(p.Shortest, p.Longest))
            .ToArray();
}

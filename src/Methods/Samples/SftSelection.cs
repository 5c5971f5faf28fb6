namespace PrunerPipeline.Training.Samples;

/// <summary>The SFT baseline's data (DESIGN.md §1.4): per problem, the two shortest correct samples.</summary>
public static class SftSelection
{
    public const int PerProblem = 2;

    /// <summary>Problems without a correct sample contribute nothing; ties in length go to the lower sample index.</summary>
    public static IReadOnlyList<TrainingSample> Select(IReadOnlyList<TrainingSample> samples, int perProblem = PerProblem) =>
        samples
            .Where(s => s.Correct)
            .GroupBy(s => s.ProblemId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(s => s.Length).ThenBy(s => s.SampleIndex).Take(perProblem))
            .ToArray();
}

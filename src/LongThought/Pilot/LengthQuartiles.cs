namespace PrunerPipeline.LongThought.Pilot;

/// <summary>Splits a problem's samples into four length quartiles and summarises them.</summary>
public static class LengthQuartiles
{
    public const int Count = 4;

    /// <summary>
    /// Sorts the samples by length (ties by sample index, which is arbitrary since samples are i.i.d.) and cuts them
    /// into four groups of as equal size as possible, shortest first.
    /// </summary>
    public static ProblemQuartiles Summarise(string problemId, int? level, IReadOnlyList<PilotSample> samples)
    {
        if (samples.Count < Count)
            throw new ArgumentException($"At least {Count} samples per problem are needed to form length quartiles (problem '{problemId}' has {samples.Count})", nameof(samples));

        var sorted = samples.OrderBy(s => s.Length).ThenBy(s => s.SampleIndex).ToList();
        var accuracy = new double[Count];
        var meanLength = new double[Count];
        for (var q = 0; q < Count; q++)
        {
            var from = q * sorted.Count / Count;
            var to = (q + 1) * sorted.Count / Count;
            var group = sorted.GetRange(from, to - from);
            accuracy[q] = group.Average(s => s.Correct ? 1.0 : 0.0);
            meanLength[q] = group.Average(s => (double)s.Length);
        }
        var correct = samples.Where(s => s.Correct).ToList();
        return new ProblemQuartiles(
            problemId,
            level,
            samples.Count,
            samples.Average(s => s.Correct ? 1.0 : 0.0),
            samples.Average(s => (double)s.Length),
            correct.Count > 0 ? correct.Min(s => s.Length) : null,
            accuracy,
            meanLength);
    }

    /// <summary>Averages the per-problem results into the pilot's report (each problem weighs the same).</summary>
    public static DisharmonyReport Report(
        string model, string dataset, double temperature, int maxNewTokens, double seconds,
        IReadOnlyList<ProblemQuartiles> perProblem, double truncatedFraction)
    {
        if (perProblem.Count == 0)
            throw new ArgumentException("The pilot needs at least one problem", nameof(perProblem));
        var solvable = perProblem.Where(p => p.ShortestCorrectLength is not null).ToList();
        var meanShortest = solvable.Count > 0 ? solvable.Average(p => (double)p.ShortestCorrectLength!.Value) : double.NaN;
        var meanLengthSolvable = solvable.Count > 0 ? solvable.Average(p => p.MeanLength) : double.NaN;
        return new DisharmonyReport(
            model,
            dataset,
            perProblem.Count,
            perProblem.Max(p => p.Samples),
            temperature,
            maxNewTokens,
            perProblem.Average(p => p.Accuracy),
            perProblem.Average(p => p.MeanLength),
            meanShortest,
            meanLengthSolvable / meanShortest,
            solvable.Count,
            Enumerable.Range(0, Count).Select(q => perProblem.Average(p => p.QuartileAccuracy[q])).ToList(),
            Enumerable.Range(0, Count).Select(q => perProblem.Average(p => p.QuartileMeanLength[q])).ToList(),
            truncatedFraction,
            seconds,
            perProblem);
    }
}

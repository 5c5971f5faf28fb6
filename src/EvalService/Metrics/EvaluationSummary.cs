namespace PrunerPipeline.EvalService.Metrics;

/// <summary>One model on one evaluation set: accuracy, lengths, speed, and the same per difficulty level.</summary>
/// <param name="Truncated">Solutions cut by the token limit before they finished.</param>
/// <param name="Lengths">Every solution's length, for histograms.</param>
public sealed record EvaluationSummary(
    string Dataset, int Problems, double Accuracy, double MeanLength, LengthStatistics Length, double WallSeconds, double TokensPerSecond,
    int Truncated, IReadOnlyList<DifficultyBreakdown> ByLevel, IReadOnlyList<int> Lengths)
{
    public static EvaluationSummary From(string dataset, IReadOnlyList<ProblemOutcome> outcomes, double wallSeconds)
    {
        var stats = LengthStatistics.Of(outcomes.Select(o => o.Length));
        var tokens = outcomes.Sum(o => (long)o.Length);
        var byLevel = outcomes
            .Where(o => o.Level is not null)
            .GroupBy(o => o.Level!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new DifficultyBreakdown(g.Key, g.Count(), g.Average(o => o.Correct ? 1.0 : 0.0), g.Average(o => (double)o.Length)))
            .ToList();
        return new EvaluationSummary(dataset, outcomes.Count, Accuracy: outcomes.Count == 0 ? 0 : outcomes.Average(o => o.Correct ? 1.0 : 0.0),
            stats.Mean, stats, wallSeconds, TokensPerSecond: wallSeconds > 0 ? tokens / wallSeconds : 0,
            Truncated: outcomes.Count(o => o.FinishReason == "length"), byLevel, Lengths: outcomes.Select(o => o.Length).ToList());
    }

    /// <summary>Pools several evaluation sets into one (accuracy and length over all their problems).</summary>
    public static EvaluationSummary Pool(string name, IReadOnlyList<EvaluationSummary> sets)
    {
        if (sets.Count == 1)
        {
            return sets[0] with { Dataset = name };
        }
        var lengths = sets.SelectMany(s => s.Lengths).ToList();
        var problems = sets.Sum(s => s.Problems);
        var seconds = sets.Sum(s => s.WallSeconds);
        var byLevel = sets.SelectMany(s => s.ByLevel)
            .GroupBy(b => b.Level)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var n = g.Sum(b => b.Problems);
                return new DifficultyBreakdown(g.Key, n, g.Sum(b => b.Accuracy * b.Problems) / n, g.Sum(b => b.MeanLength * b.Problems) / n);
            })
            .ToList();
        var stats = LengthStatistics.Of(lengths);
        return new EvaluationSummary(name, problems, Accuracy: problems == 0 ? 0 : sets.Sum(s => s.Accuracy * s.Problems) / problems,
            stats.Mean, stats, seconds, TokensPerSecond: seconds > 0 ? lengths.Sum(l => (long)l) / seconds : 0,
            Truncated: sets.Sum(s => s.Truncated), byLevel, lengths);
    }
}

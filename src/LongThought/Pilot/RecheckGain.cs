using PrunerPipeline.Datasets;

namespace PrunerPipeline.LongThought.Pilot;

/// <summary>
/// What re-checking buys the model at one difficulty level: the accuracy of its samples with no re-check pass vs
/// those with at least one (pooled over the level's samples). On task v2 a re-check corrects first-pass slips, so
/// the gain should grow with the level; on v1 it should be about 0. Null accuracy: no such sample.
/// </summary>
public sealed record RecheckGain(int Level, int SamplesWithoutRecheck, double? AccuracyWithoutRecheck, int SamplesWithRecheck, double? AccuracyWithRecheck)
{
    public double? Gain => AccuracyWithRecheck - AccuracyWithoutRecheck;

    internal static IReadOnlyList<RecheckGain> ByLevel(IReadOnlyList<Problem> problems, IReadOnlyList<List<PilotSample>> samples) => problems
        .Select((problem, p) => (problem.Level, Samples: samples[p]))
        .Where(x => x.Level is not null)
        .GroupBy(x => x.Level!.Value)
        .OrderBy(g => g.Key)
        .Select(g =>
        {
            var all = g.SelectMany(x => x.Samples).ToList();
            var without = all.Where(s => s.Rechecks == 0).ToList();
            var with = all.Where(s => s.Rechecks > 0).ToList();
            return new RecheckGain(g.Key, without.Count, Accuracy(without), with.Count, Accuracy(with));
        })
        .ToList();

    private static double? Accuracy(List<PilotSample> samples) => samples.Count == 0 ? null : samples.Average(s => s.Correct ? 1.0 : 0.0);
}

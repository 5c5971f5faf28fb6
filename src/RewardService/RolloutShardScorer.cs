using PrunerPipeline.Training.Samples;
using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Grading;
using PrunerPipeline.RewardService.LengthRewards;

namespace PrunerPipeline.RewardService;

/// <summary>
/// Scores one rollout shard: grades every sample against its problem's gold answer, computes each problem's
/// <see cref="ReferenceBaseline"/> over its K samples, and attaches the run's reward (R_LH by default) per problem group. Pure: no bus, no store.
/// </summary>
public static class RolloutShardScorer
{
    /// <param name="samples">The shard's samples, every problem with all of its K samples.</param>
    /// <param name="goldAnswers">Gold answer by problem id; a sample of a problem missing here is an error.</param>
    /// <param name="baselines">
    /// L̄_ref and Ā_ref by problem id from another run's samples (<see cref="ScoreRollouts.BaselineRewardsBlob"/>); null = each
    /// problem's own K samples. A problem missing here is an error.
    /// </param>
    /// <param name="step">The optimizer steps taken before these samples (an online update t scores at step t − 1): thinkprune's schedule reads it.</param>
    public static (IReadOnlyList<ScoredSample> Scored, RewardSummary Summary) Score(
        IReadOnlyList<RolloutSample> samples,
        IReadOnlyDictionary<string, string> goldAnswers,
        ILengthReward reward,
        CancellationToken ct = default,
        IReadOnlyDictionary<string, ReferenceBaseline>? baselines = null,
        int? lengthTarget = null,
        int step = 0)
    {
        if (baselines is not null && samples.Select(s => s.ProblemId).Distinct().Where(id => !baselines.ContainsKey(id)).ToList() is { Count: > 0 } noBaseline)
        {
            throw new ArgumentException($"No baseline for problem ids: {string.Join(", ", noBaseline.Take(10))}", nameof(baselines));
        }

        var missing = samples.Select(s => s.ProblemId).Distinct().Where(id => !goldAnswers.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No gold answer for problem ids: {string.Join(", ", missing)}", nameof(goldAnswers));
        }

        // Grading is bounded per sample, not per shard: a stop is noticed between samples.
        var graded = samples.Select(sample =>
        {
            ct.ThrowIfCancellationRequested();
            return (Sample: sample, Grade: AnswerGrader.Grade(goldAnswers[sample.ProblemId], sample.Text));
        }).ToList();
        // Each problem's K samples are one group, in problem-id then sample order: R_LH scores each against the group's
        // baseline (its own samples', or the baseline run's), the other rewards compare the group's samples with each
        // other (Kimi's L_min/L_max, ShorterBetter's shortest correct).
        var scored = graded
            .GroupBy(g => g.Sample.ProblemId)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .SelectMany(group =>
            {
                var members = group.OrderBy(g => g.Sample.SampleIndex).ToList();
                var outcomes = members.Select(m => new SampleOutcome(m.Sample.Length, m.Grade.Correct)).ToList();
                var baseline = baselines?[group.Key] ?? LengthHarmonizingReward.Baseline(outcomes.Select(o => (o.Length, o.Correct)).ToList());
                var rewards = reward.Score(new RewardGroup(outcomes, baseline, GroupTarget(group.Key, members.Select(m => m.Sample).ToList()) ?? lengthTarget, step));
                return members.Select((g, i) => new ScoredSample(
                    g.Sample, g.Grade.Correct, g.Grade.Extracted, baseline.MeanLength, baseline.MeanAccuracy, rewards[i]));
            })
            .ToList();

        return (scored, Summarize(scored));
    }

    // The target the problem's prompt asked for (L1: every sample of a problem shares its prompt); null = the run's.
    private static int? GroupTarget(string problemId, IReadOnlyList<RolloutSample> members)
    {
        var targets = members.Select(s => s.LengthTarget).Distinct().ToList();
        return targets.Count == 1
            ? targets[0]
            : throw new InvalidDataException($"Problem {problemId}: its samples carry different lengthTargets ({string.Join(", ", targets.Select(t => t?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"))}); one prompt, one target");
    }

    private static RewardSummary Summarize(IReadOnlyList<ScoredSample> scored)
    {
        if (scored.Count == 0)
        {
            return new RewardSummary(0, 0, 0, 0, 0);
        }

        var (rewardMean, rewardStd) = Standardisation.MeanAndStd(scored.Select(s => s.Reward).ToArray());
        return new RewardSummary(
            Samples: scored.Count,
            Accuracy: scored.Average(s => s.Correct ? 1.0 : 0.0),
            MeanLength: scored.Average(s => (double)s.Length),
            RewardMean: rewardMean,
            RewardStd: rewardStd);
    }
}

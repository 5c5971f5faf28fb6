using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.RewardService.LengthRewards;

namespace PrunerPipeline.RewardService;

/// <summary>
/// Queue <c>score-rollouts</c>: scores a sampled shard the saga commands — reads the rollouts blob, grades every
/// sample against the command's dataset, computes R_LH with its λ, writes <c>runs/{run}/rewards/shard-{i:D4}.jsonl</c>
/// and publishes <see cref="RewardsScored"/>.
/// Idempotent: the rewards blob has a deterministic name and is rewritten whole, so a redelivery leaves one copy.
/// A shard that can never be scored (missing or corrupt blob, unknown problem ids) throws an exception whose message
/// says why; MassTransit then publishes <c>Fault&lt;ScoreRollouts&gt;</c> to the run saga. A command for a run the
/// orchestrator never accepted is dropped to <c>_error</c> with the reason before anything is read or written.
/// </summary>
public sealed class ScoreRolloutsConsumer(IArtifactStore store, ProblemLookup problemLookup, ILogger<ScoreRolloutsConsumer> logger) : IConsumer<ScoreRollouts>
{
    public async Task Consume(ConsumeContext<ScoreRollouts> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        var stopwatch = Stopwatch.StartNew();
        // Only for runs the orchestrator accepted: a forged or stray command must not make this service write runs/{x}/rewards.
        await UnknownRunException.ThrowUnlessAcceptedAsync(store, message.RunId, nameof(ScoreRollouts), ct);

        var samples = await ReadShardAsync(message, ct);
        var goldAnswers = problemLookup.Find(message.Dataset, samples.Select(s => s.ProblemId).Distinct().ToList(), $"Shard {message.ShardIndex} of run {message.RunId}")
            .ToDictionary(problem => problem.Id, problem => problem.Answer);
        var baselines = message.BaselineRun is not null ? await ReadRunBaselinesAsync(message, ct)
            : message.BaselineRewardsBlob is null ? null : await ReadBaselinesAsync(message, ct);
        var reward = RewardOf(message);
        var (scored, summary) = RolloutShardScorer.Score(samples, goldAnswers, reward, context.CancellationToken, baselines, message.LengthTarget,
            step: Math.Max(0, message.Step - 1));

        var rewardsBlob = ArtifactLayout.Rewards(message.RunId, message.ShardIndex);
        using (var content = new MemoryStream(SampleJsonLines.Serialize(scored)))
        {
            await store.WriteAsync(rewardsBlob, content, ct);
        }

        logger.LogInformation(
            "Shard {Shard} of run {RunId} scored in {Seconds:F1}s: {Samples} samples of {Problems} problems, accuracy {Accuracy:P1}, mean length {MeanLength:F1} tokens, reward {Reward} {RewardMean:F3} ± {RewardStd:F3} (λ = {Lambda})",
            message.ShardIndex, message.RunId, stopwatch.Elapsed.TotalSeconds, summary.Samples, goldAnswers.Count,
            summary.Accuracy, summary.MeanLength, reward.Key, summary.RewardMean, summary.RewardStd, message.Lambda);

        await context.Publish(new RewardsScored
        {
            RunId = message.RunId,
            ShardIndex = message.ShardIndex,
            RewardsBlob = rewardsBlob,
            Samples = summary.Samples,
            Accuracy = summary.Accuracy,
            MeanLength = summary.MeanLength,
            RewardMean = summary.RewardMean,
            RewardStd = summary.RewardStd,
        }, ct);
    }

    private async Task<List<RolloutSample>> ReadShardAsync(ScoreRollouts message, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(message.RolloutsBlob, ct)
            ?? throw new InvalidDataException($"Shard {message.ShardIndex} of run {message.RunId}: rollouts blob {message.RolloutsBlob} does not exist");
        var samples = await SampleJsonLines.ReadAsync<RolloutSample>(stream, message.RolloutsBlob, ct);
        if (samples.Count == 0)
        {
            throw new InvalidDataException($"Shard {message.ShardIndex} of run {message.RunId}: rollouts blob {message.RolloutsBlob} holds no samples");
        }

        var duplicates = samples.GroupBy(s => (s.ProblemId, s.SampleIndex)).Where(g => g.Count() > 1).Select(g => $"{g.Key.ProblemId}#{g.Key.SampleIndex}").ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidDataException($"Shard {message.ShardIndex} of run {message.RunId}: rollouts blob {message.RolloutsBlob} repeats samples {string.Join(", ", duplicates.Take(10))}");
        }

        return samples;
    }

    /// <summary>
    /// The command's reward: R_LH with its λ unless it names another (<see cref="LengthRewardRegistry"/>); an unknown key or a
    /// bad setting is an <see cref="ArgumentException"/> naming it (not retried).
    /// </summary>
    private static ILengthReward RewardOf(ScoreRollouts message) =>
        LengthRewardRegistry.Create(message.LengthReward ?? LengthRewardNames.Rlh, new LengthRewardOptions
        {
            RlhLambda = message.Lambda,
            L1TargetLength = message.LengthTarget,
            ThinkPruneSchedule = ThinkPruneScheduleOf(message),
        });

    /// <summary>
    /// thinkprune's limit: offline one stage at lengthTarget; online the paper's three rounds (lengthTarget, ¾, ½ of it),
    /// each a third of the run's policy updates.
    /// </summary>
    private static LengthLimitSchedule? ThinkPruneScheduleOf(ScoreRollouts message) => message.LengthTarget switch
    {
        not (> 0) => null,
        { } limit when message.TotalSteps > 0 && limit >= 2 => LengthLimitSchedule.ThinkPruneRounds(limit, Math.Max(1, (message.TotalSteps + 2) / 3)),
        { } limit => new LengthLimitSchedule([new LengthLimitSchedule.Stage(0, limit)]),
    };

    /// <summary>
    /// L̄_ref and Ā_ref per problem from another run's scored shard (the run's <c>baselineRun</c>). Only a rewards blob of
    /// the same shard index is read (<c>runs/{run}/rewards/shard-{i:D4}.jsonl</c>): a forged command cannot point the
    /// scorer at any other blob.
    /// </summary>
    private async Task<Dictionary<string, ReferenceBaseline>> ReadBaselinesAsync(ScoreRollouts message, CancellationToken ct)
    {
        var blob = message.BaselineRewardsBlob!;
        var parts = blob.Split('/');
        if (parts.Length != 4 || parts[0] != "runs" || ArtifactName.CheckRunId(parts[1]) is not null || blob != ArtifactLayout.Rewards(parts[1], message.ShardIndex))
        {
            throw new ArgumentException($"Shard {message.ShardIndex} of run {message.RunId}: baselineRewardsBlob '{ArtifactName.Printable(blob)}' is not a rewards blob of shard {message.ShardIndex} (runs/<run>/rewards/shard-{message.ShardIndex:D4}.jsonl)");
        }
        await using var stream = await store.OpenReadAsync(blob, ct)
            ?? throw new ArgumentException($"Shard {message.ShardIndex} of run {message.RunId}: baseline rewards blob {blob} does not exist (the baseline run has not scored this shard)");
        var baselineSamples = await SampleJsonLines.ReadAsync<ScoredSample>(stream, blob, ct);
        return baselineSamples
            .GroupBy(s => s.ProblemId)
            .ToDictionary(g => g.Key, g => new ReferenceBaseline(g.First().MeanRefLength, g.First().MeanRefAccuracy));
    }

    /// <summary>
    /// An online run's baselines: every scored shard of its <c>baselineRun</c> (runs/{run}/rewards/shard-*.jsonl), by problem
    /// id. Only that run's rewards folder is read.
    /// </summary>
    private async Task<Dictionary<string, ReferenceBaseline>> ReadRunBaselinesAsync(ScoreRollouts message, CancellationToken ct)
    {
        if (ArtifactName.CheckRunId(message.BaselineRun) is { } problem)
        {
            throw new ArgumentException($"Shard {message.ShardIndex} of run {message.RunId}: baselineRun: {problem}");
        }
        var folder = $"{ArtifactLayout.Run(message.BaselineRun!)}/rewards/";
        var baselines = new Dictionary<string, ReferenceBaseline>();
        await foreach (var blob in store.ListAsync(folder, ct))
        {
            if (!blob.EndsWith(".jsonl", StringComparison.Ordinal))
                continue;
            await using var stream = await store.OpenReadAsync(blob, ct);
            if (stream is null)
                continue;
            foreach (var group in (await SampleJsonLines.ReadAsync<ScoredSample>(stream, blob, ct)).GroupBy(s => s.ProblemId))
            {
                baselines[group.Key] = new ReferenceBaseline(group.First().MeanRefLength, group.First().MeanRefAccuracy);
            }
        }
        if (baselines.Count == 0)
        {
            throw new ArgumentException($"Shard {message.ShardIndex} of run {message.RunId}: baselineRun '{message.BaselineRun}' has no scored samples in {folder}");
        }
        return baselines;
    }
}

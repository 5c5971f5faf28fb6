using MassTransit;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Sharding;
using PrunerPipeline.Training.Grpo;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>
/// An online run's policy updates, as the saga drives them (state <c>Online</c>). Version c is the newest published
/// checkpoint (0 = the base model). Update t needs its shards sampled, scored, then one trainer step from version t−1:
/// <code>
///   issue:     the shards of every update t ≤ c + 1 + maxStaleness, sampled from version c (the newest)
///   accept:    a shard of update t sampled by version v iff PolicyStaleness(maxStaleness).IsUsable(v, t − 1) and v ≤ c;
///              otherwise it is dropped and sampled again from version c
///   train:     once every shard of update c + 1 is scored → TrainPolicy { Step = c + 1 }
///   published: checkpoint c + 1 → c := c + 1, issue the next updates' shards, train when ready; the last → Evaluating
/// </code>
/// With maxStaleness = 0 this is strictly on-policy (update t+1 is sampled once version t exists); with 1, update t+1
/// is sampled while update t trains, so workers and trainer overlap. Every event is checked against the run's own
/// plan, versions and blobs: a late, duplicated or forged one changes nothing but a log line.
/// </summary>
public static class OnlineUpdates
{
    /// <summary>The update (1-based) shard <paramref name="shard"/> belongs to.</summary>
    public static int UpdateOf(PruningRunState saga, int shard) => shard / saga.ShardsPerStep + 1;

    public static IEnumerable<int> ShardsOf(PruningRunState saga, int update) =>
        Enumerable.Range((update - 1) * saga.ShardsPerStep, saga.ShardsPerStep);

    public static bool IsScored(PruningRunState saga, int update) => ShardsOf(saga, update).All(saga.ScoredShards.ContainsKey);

    /// <summary>The model of policy version <paramref name="version"/>: the base model, or the run's checkpoint of that step.</summary>
    public static string ModelOf(PruningRunState saga, int version) =>
        version == 0 ? saga.Run!.BaseModel : ArtifactLayout.Checkpoint(saga.RunId, version);

    public static GenerateRollouts Sample(ShardPlan plan, PruningRunState saga, int shard)
    {
        var run = saga.Run!;
        var update = UpdateOf(saga, shard);
        return StageCommands.Shard(plan, run, shard) with
        {
            SampleSetId = ShardPlanner.OnlineSampleSetId(saga.RunId, saga.PolicyVersion),
            BaseModel = ModelOf(saga, saga.PolicyVersion),
            PolicyVersion = saga.PolicyVersion,
            KlReferenceModel = run.KlCoefficient > 0 ? run.BaseModel : null,
            PromptLengthTargets = LengthTargetRange.For(run),
            // Each update draws fresh randomness: a problem met again in a later epoch is not sampled with the same stream.
            Seed = unchecked(run.Seed + 7919 * update),
        };
    }

    public static ScoreRollouts Score(PruningRunState saga, int shard) =>
        StageCommands.Score(saga, shard, RolloutsBlob(saga, shard, saga.ShardVersions[shard])) with
        {
            BaselineRewardsBlob = null,
            BaselineRun = saga.Run!.BaselineRun,
            Step = UpdateOf(saga, shard),
            TotalSteps = saga.UpdatesTotal,
        };

    public static TrainPolicy Train(PruningRunState saga, int update) => new()
    {
        RunId = saga.RunId,
        Run = saga.Run!,
        RewardsBlobs = ShardsOf(saga, update).Select(s => saga.ScoredShards[s]).ToList(),
        Step = update,
    };

    public static string RolloutsBlob(PruningRunState saga, int shard, int version) =>
        ArtifactLayout.Rollouts(ShardPlanner.OnlineSampleSetId(saga.RunId, version), shard);

    /// <summary>Commands the shards of every update the staleness bound now allows and that has none yet.</summary>
    public static async Task IssueAsync<T>(BehaviorContext<PruningRunState, T> c)
        where T : class
    {
        var saga = c.Saga;
        var last = Math.Min(saga.UpdatesTotal, saga.PolicyVersion + 1 + saga.Run!.MaxStaleness);
        if (last <= saga.UpdatesIssued)
        {
            return;
        }
        var plan = await c.GetServiceOrCreateInstance<StageCommands>().PlanAsync(saga.RunId, c.CancellationToken);
        for (var update = saga.UpdatesIssued + 1; update <= last; update++)
        {
            foreach (var shard in ShardsOf(saga, update))
            {
                await c.Publish(Sample(plan, saga, shard), c.CancellationToken);
            }
        }
        LogContext.Info?.Log("Run {RunId}: updates {First}-{Last} sampled from policy version {Version}", saga.RunId, saga.UpdatesIssued + 1, last, saga.PolicyVersion);
        saga.UpdatesIssued = last;
    }

    /// <summary>A shard's samples: scored when fresh enough for their update, else dropped and sampled again from the newest version.</summary>
    public static async Task OnSampledAsync(BehaviorContext<PruningRunState, RolloutsGenerated> c)
    {
        var (saga, m) = (c.Saga, c.Message);
        var update = UpdateOf(saga, m.ShardIndex);
        if (update <= saga.PolicyVersion || update > saga.UpdatesIssued || saga.ScoredShards.ContainsKey(m.ShardIndex))
        {
            LogContext.Info?.Log("Run {RunId}: RolloutsGenerated of shard {Shard} (update {Update}) ignored: update {What}", saga.RunId, m.ShardIndex, update,
                update <= saga.PolicyVersion ? "already trained" : update > saga.UpdatesIssued ? "not issued yet" : "already scored");
            return;
        }
        if (m.PolicyVersion < 0 || m.RolloutsBlob != RolloutsBlob(saga, m.ShardIndex, m.PolicyVersion))
        {
            LogContext.Info?.Log("Run {RunId}: RolloutsGenerated of shard {Shard} ignored: {Blob} is not the shard's blob of policy version {Version}",
                saga.RunId, m.ShardIndex, ArtifactName.Printable(m.RolloutsBlob ?? ""), m.PolicyVersion);
            return;
        }
        if (saga.ShardVersions.TryGetValue(m.ShardIndex, out var accepted))
        {
            // Sampled twice (a re-drive raced a slow worker): the first accepted sample set stays; the same one again is scored again (redelivery).
            if (accepted == m.PolicyVersion)
            {
                await c.Publish(Score(saga, m.ShardIndex), c.CancellationToken);
            }
            return;
        }
        var freshness = m.PolicyVersion > saga.PolicyVersion
            ? SampleFreshness.FromNewerPolicy
            : new PolicyStaleness(saga.Run!.MaxStaleness).Classify(m.PolicyVersion, update - 1);
        if (freshness != SampleFreshness.Usable)
        {
            saga.StaleShardsDropped++;
            LogContext.Warning?.Log("Run {RunId}: shard {Shard} of update {Update} was sampled by policy version {Version} ({Freshness}, max staleness {Max}); sampled again from version {Newest}",
                saga.RunId, m.ShardIndex, update, m.PolicyVersion, freshness, saga.Run!.MaxStaleness, saga.PolicyVersion);
            var plan = await c.GetServiceOrCreateInstance<StageCommands>().PlanAsync(saga.RunId, c.CancellationToken);
            await c.Publish(Sample(plan, saga, m.ShardIndex), c.CancellationToken);
            return;
        }
        saga.ShardVersions[m.ShardIndex] = m.PolicyVersion;
        saga.SampledShards.AddOnce(m.ShardIndex);
        saga.ShardTokens[m.ShardIndex] = m.Tokens;
        await c.Publish(Score(saga, m.ShardIndex), c.CancellationToken);
    }

    /// <summary>A scored shard of an accepted sample set; the update trains once all its shards are scored.</summary>
    public static async Task<bool> OnScoredAsync(BehaviorContext<PruningRunState, RewardsScored> c)
    {
        var (saga, m) = (c.Saga, c.Message);
        var update = UpdateOf(saga, m.ShardIndex);
        if (update <= saga.PolicyVersion || !saga.ShardVersions.ContainsKey(m.ShardIndex) || m.RewardsBlob != ArtifactLayout.Rewards(saga.RunId, m.ShardIndex))
        {
            LogContext.Info?.Log("Run {RunId}: RewardsScored of shard {Shard} ignored: not an accepted, untrained shard of this run", saga.RunId, m.ShardIndex);
            return false;
        }
        saga.ScoredShards[m.ShardIndex] = m.RewardsBlob;
        await TrainWhenReadyAsync(c);
        return true;
    }

    /// <summary>Checkpoint step c + 1 (stored): the policy moves on; false for any other step (late, duplicated, from the future).</summary>
    public static async Task<bool> OnPublishedAsync(BehaviorContext<PruningRunState, CheckpointPublished> c)
    {
        var (saga, m) = (c.Saga, c.Message);
        if (m.Step != saga.PolicyVersion + 1 || m.Step > saga.UpdatesTotal)
        {
            LogContext.Info?.Log("Run {RunId}: CheckpointPublished step {Step} ignored: the policy is at version {Version} of {Total}", saga.RunId, m.Step, saga.PolicyVersion, saga.UpdatesTotal);
            return false;
        }
        saga.PolicyVersion = m.Step;
        if (!saga.CheckpointSteps.Contains(m.Step))
        {
            saga.CheckpointSteps.Add(m.Step);
        }
        if (m.Step == saga.UpdatesTotal)
        {
            saga.FinalCheckpoint = m.Checkpoint;
            saga.FinalStep = m.Step;
            return true;
        }
        await IssueAsync(c);
        await TrainWhenReadyAsync(c);
        return true;
    }

    private static async Task TrainWhenReadyAsync<T>(BehaviorContext<PruningRunState, T> c)
        where T : class
    {
        var saga = c.Saga;
        var next = saga.PolicyVersion + 1;
        if (next <= saga.UpdatesTotal && saga.TrainingUpdate < next && IsScored(saga, next))
        {
            saga.TrainingUpdate = next;
            await c.Publish(Train(saga, next), c.CancellationToken);
        }
    }

    /// <summary>What the run still waits for, as the commands that produce it (a re-drive or a resume).</summary>
    public static async Task<IReadOnlyList<object>> OutstandingAsync(PruningRunState saga, StageCommands commands, CancellationToken ct)
    {
        var outstanding = new List<object>();
        ShardPlan? plan = null;
        for (var update = saga.PolicyVersion + 1; update <= saga.UpdatesIssued; update++)
        {
            foreach (var shard in ShardsOf(saga, update))
            {
                if (!saga.ShardVersions.ContainsKey(shard))
                {
                    plan ??= await commands.PlanAsync(saga.RunId, ct);
                    outstanding.Add(Sample(plan, saga, shard));
                }
                else if (!saga.ScoredShards.ContainsKey(shard))
                {
                    outstanding.Add(Score(saga, shard));
                }
            }
        }
        if (saga.TrainingUpdate == saga.PolicyVersion + 1 && saga.TrainingUpdate <= saga.UpdatesTotal)
        {
            outstanding.Add(Train(saga, saga.TrainingUpdate));
        }
        return outstanding;
    }

    /// <summary>What the online stage waits for, for re-drive and fault messages.</summary>
    public static string Waiting(PruningRunState saga)
    {
        var next = saga.PolicyVersion + 1;
        if (saga.TrainingUpdate == next)
        {
            return $"update {next} of {saga.UpdatesTotal}: its training step (policy at version {saga.PolicyVersion})";
        }
        var shards = ShardsOf(saga, next).ToList();
        return $"update {next} of {saga.UpdatesTotal}: {shards.Count(s => !saga.ShardVersions.ContainsKey(s))} of {shards.Count} shards not sampled, "
            + $"{shards.Count(s => !saga.ScoredShards.ContainsKey(s))} not scored";
    }
}

namespace PrunerPipeline.Orchestrator.Tests.Fakes;

/// <summary>Rollout worker stand-in: answers each shard at once.</summary>
public sealed class FakeRolloutWorker : IConsumer<GenerateRollouts>
{
    public Task Consume(ConsumeContext<GenerateRollouts> context) => context.Publish(new RolloutsGenerated
    {
        RunId = context.Message.RunId,
        SampleSetId = context.Message.SampleSetId,
        ShardIndex = context.Message.ShardIndex,
        RolloutsBlob = ArtifactLayout.Rollouts(context.Message.SampleSetId, context.Message.ShardIndex),
        Problems = context.Message.ProblemIds.Count,
        Samples = context.Message.ProblemIds.Count * context.Message.SamplesPerProblem,
        Tokens = 100,
        Seconds = 0.1,
        PolicyVersion = context.Message.PolicyVersion,
    });
}

/// <summary>Reward service stand-in.</summary>
public sealed class FakeRewardScorer : IConsumer<ScoreRollouts>
{
    public Task Consume(ConsumeContext<ScoreRollouts> context) => context.Publish(new RewardsScored
    {
        RunId = context.Message.RunId,
        ShardIndex = context.Message.ShardIndex,
        RewardsBlob = ArtifactLayout.Rewards(context.Message.RunId, context.Message.ShardIndex),
        Samples = 8,
        Accuracy = 0.5,
        MeanLength = 40,
        RewardMean = 0,
        RewardStd = 1,
    });
}

/// <summary>
/// Trainer stand-in: two checkpoints (stored, as the real trainer does before announcing one: config.json, then
/// trainer_state.json last), the second final.
/// </summary>
public sealed class FakeTrainer(IArtifactStore store) : IConsumer<TrainPolicy>
{
    public async Task Consume(ConsumeContext<TrainPolicy> context)
    {
        if (context.Message.Step is { } update)
        {
            // An online update: its one checkpoint.
            await PublishAsync(context, update, epoch: update, isFinal: update == context.Message.Run.OnlineSteps);
            return;
        }
        for (var step = 1; step <= 2; step++)
        {
            await PublishAsync(context, step, epoch: 1, isFinal: step == 2);
        }
    }

    private async Task PublishAsync(ConsumeContext<TrainPolicy> context, int step, int epoch, bool isFinal)
    {
        var checkpoint = ArtifactLayout.Checkpoint(context.Message.RunId, step);
        await store.WriteTextAsync($"{checkpoint}/config.json", "{}", context.CancellationToken);
        await store.WriteTextAsync(ArtifactLayout.CheckpointState(checkpoint), "{}", context.CancellationToken);
        await context.Publish(new CheckpointPublished
        {
            RunId = context.Message.RunId,
            Checkpoint = checkpoint,
            Step = step,
            Epoch = epoch,
            IsFinal = isFinal,
        });
    }
}

/// <summary>A trainer whose every attempt fails (out of memory, corrupt rewards, ...).</summary>
public sealed class FailingTrainer : IConsumer<TrainPolicy>
{
    public const string Failure = "rewards shard 2 is corrupt";

    public Task Consume(ConsumeContext<TrainPolicy> context) => throw new InvalidOperationException(Failure);
}

/// <summary>Eval service stand-in: reports each checkpoint.</summary>
public sealed class FakeEvaluator : IConsumer<EvaluateCheckpoint>
{
    public Task Consume(ConsumeContext<EvaluateCheckpoint> context) => context.Publish(new EvaluationCompleted
    {
        RunId = context.Message.RunId,
        Checkpoint = context.Message.Checkpoint,
        IsFinal = context.Message.IsFinal,
        ReportBlob = ArtifactLayout.Report(context.Message.RunId, context.Message.Step),
        Accuracy = 0.8,
        MeanLength = 30,
        ReferenceAccuracy = 0.75,
        ReferenceMeanLength = 50,
        Aes = 0.6,
    });
}

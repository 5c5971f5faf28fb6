using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.Contracts.Samples;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Model.Adapters;
using PrunerPipeline.Model.Memory;
using PrunerPipeline.TrainerService.Checkpoints;
using PrunerPipeline.TrainerService.Planning;
using PrunerPipeline.TrainerService.Policies;
using PrunerPipeline.Training.Checkpoints;
using PrunerPipeline.Training.Loop;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.TrainerService.Jobs;

/// <summary>
/// One run's training, start to finish: the run's settings come with <see cref="TrainPolicy"/>; read its scored shards, pick up from the latest checkpoint
/// (local or in the store), train, and for every checkpoint upload it (once) and publish <see cref="CheckpointPublished"/>.
/// </summary>
public sealed class PolicyTrainingJob(
    IArtifactStore store,
    ModelLocator models,
    IPolicyLoader loader,
    MethodRegistry methods,
    IOptions<TrainerSettings> settings,
    ModelWorkGate gate,
    PrunerPipeline.Model.FrozenModelCache frozenModels,
    ILogger<PolicyTrainingJob> logger)
{
    private readonly CheckpointBlobs checkpoints = new(store);

    public async Task<TrainingResult> RunAsync(TrainPolicy message, IPublishEndpoint publish, CancellationToken ct)
    {
        var options = settings.Value;
        // A forged command must not train one run on another run's settings or rewards.
        await UnknownRunException.ThrowUnlessAcceptedAsync(store, message.RunId, nameof(TrainPolicy), ct);
        if (message.Run?.RunId != message.RunId || message.RewardsBlobs.Any(b => b is null || !b.StartsWith($"{ArtifactLayout.Run(message.RunId)}/rewards/", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"TrainPolicy dropped: run '{message.RunId}' names settings or blobs of another run");
        }
        var run = message.Run;
        if (message.Step is { } update)
        {
            return await RunUpdateAsync(message, update, publish, ct);
        }

        var scored = await ReadScoredAsync(message, ct);
        var plan = TrainingPlan.Create(run, options, scored, methods);
        var runRoot = Path.Combine(options.WorkRoot, run.RunId);
        var localRoot = Path.Combine(runRoot, "checkpoints");
        Directory.CreateDirectory(localRoot);

        var resume = await ResumePointAsync(run.RunId, localRoot, publish, ct);
        // An adapter run always starts from the base; a checkpoint holds only the adapter (and the optimizer's moments).
        var adapter = run.Adapter is { } a
            ? new PolicyAdapter(new LoraOptions { Rank = a.Rank, Alpha = a.Alpha, Dropout = a.Dropout, Targets = a.Targets }, run.BaseModel, resume?.Directory, run.Seed)
            : null;
        var modelFolder = adapter is null && resume is not null ? resume.Directory : await models.ResolveAsync(run.BaseModel, ct);
        var trainer = new PolicyTrainer(plan.Options);
        var totalSteps = trainer.StepsPerEpoch(plan.Recipe.Count) * plan.Options.Epochs;
        logger.LogInformation(
            "Training run {RunId}: {Method} on {Examples} examples from {Samples} scored samples, {TotalSteps} steps, from {Start}",
            run.RunId, run.Method, plan.Recipe.Count, scored.Count, totalSteps, resume is null ? "the base model " + run.BaseModel : $"checkpoint step {resume.State.Step}");

        var progressWatch = Stopwatch.StartNew();
        var callbacks = new TrainingCallbacks
        {
            StepCompleted = m =>
            {
                logger.LogInformation("Run {RunId} step {Step}/{TotalSteps}: loss {Loss:F4}, reward {Reward:F3}, length {Length:F1}, lr {LearningRate:E2}, clip {ClipFraction:F3}",
                    run.RunId, m.Step, totalSteps, m.Loss, m.MeanReward, m.MeanLength, m.LearningRate, m.ClipFraction ?? 0);
                if (m.Step == totalSteps || progressWatch.Elapsed.TotalSeconds >= options.ProgressIntervalSeconds)
                {
                    progressWatch.Restart();
                    publish.Publish(new StageProgress
                    {
                        RunId = run.RunId,
                        Stage = "training",
                        Done = m.Step,
                        Total = totalSteps,
                        Detail = $"loss {m.Loss:F4}, mean length {m.MeanLength:F1}",
                    }, ct).GetAwaiter().GetResult();
                }
            },
            // The trainer calls back on its own thread; uploading there keeps the checkpoint order and bounds local disk use.
            CheckpointSaved = (checkpoint, isFinal) => PublishCheckpointAsync(run.RunId, checkpoint, isFinal, publish, ct).GetAwaiter().GetResult(),
        };

        var result = await TrainInGateAsync(
            () => adapter is null ? loader.Load(modelFolder, options.Device) : loader.LoadWithAdapter(modelFolder, options.Device, adapter),
            policy =>
            {
                logger.LogInformation("Run {RunId}: gradient checkpointing {Checkpointing}{Why}", run.RunId,
                    trainer.UsesGradientCheckpointing(policy, plan.Recipe) ? "on" : "off", run.GradientCheckpointing is null ? " (from the model's activation memory)" : "");
                return trainer.Train(policy, plan.Recipe, localRoot, resume, callbacks, ct);
            }, ct);
        if (result.StepsRun == 0)
        {
            // Redelivered after it finished: the saga may have missed the final event, and publishing it again is harmless.
            await PublishCheckpointAsync(run.RunId, result.Final, isFinal: true, publish, ct);
        }
        logger.LogInformation("Run {RunId} trained: {Steps} steps run here, final checkpoint step {Step}", run.RunId, result.StepsRun, result.Final.State.Step);
        RemoveLocalCheckpoints(run.RunId, runRoot);
        return result;
    }

    /// <summary>
    /// Loads the policy inside the model gate (in one process, no evaluation or sampling holds a model beside it), trains
    /// it on a long-running thread (training blocks for minutes) and disposes it, whatever the outcome.
    /// </summary>
    private async Task<TrainingResult> TrainInGateAsync(Func<ITrainablePolicy> load, Func<ITrainablePolicy, TrainingResult> train, CancellationToken ct)
    {
        using var turn = await gate.EnterAsync(ct);
        // In one process the reference the rollouts sampled from stays cached for its keep-alive: free it before the
        // policy loads beside it (3.5 GB at the 1.5B shape). Sampling or evaluation that needs it again reloads it.
        frozenModels.ReleaseIdle();
        var policy = load();
        try
        {
            return await Task.Factory.StartNew(() => train(policy), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            policy.Module.Dispose();
        }
    }

    /// <summary>
    /// One policy update of an online method (GRPO): from checkpoint update − 1 in the store (the base model for update 1),
    /// one optimizer step on the update's scored shards, uploaded and announced as checkpoint <c>update</c>. A redelivered
    /// update whose checkpoint is already stored is announced again without training (the saga ignores a duplicate).
    /// Checkpoints no worker can still be sampling from (older than update − maxStaleness − 1) are deleted from the store,
    /// so a long run keeps a handful of versions, not one per update.
    /// </summary>
    private async Task<TrainingResult> RunUpdateAsync(TrainPolicy message, int update, IPublishEndpoint publish, CancellationToken ct)
    {
        var options = settings.Value;
        var run = message.Run;
        var method = methods[run.Method];
        if (!method.Online || update < 1 || update > run.OnlineSteps)
        {
            throw new ArgumentException($"TrainPolicy dropped: step {update} of run '{run.RunId}' ({method.Name}); allowed: an online method's update 1..{run.OnlineSteps}");
        }
        var runRoot = Path.Combine(options.WorkRoot, run.RunId);
        var localRoot = Path.Combine(runRoot, "checkpoints");
        Directory.CreateDirectory(localRoot);
        var isFinal = update == run.OnlineSteps;
        if (await checkpoints.ExistsAsync(run.RunId, update, ct))
        {
            logger.LogInformation("Run {RunId} update {Update} is already in the store: announced again, not trained", run.RunId, update);
            var stored = await checkpoints.DownloadAsync(run.RunId, update, localRoot, ct);
            await PublishCheckpointAsync(run.RunId, stored, isFinal, publish, ct);
            RemoveLocalCheckpoints(run.RunId, runRoot);
            return new TrainingResult(stored.ReadMetrics(), stored, 0);
        }

        var scored = await ReadScoredAsync(message, ct);
        var plan = TrainingPlan.Create(run, options, scored, methods);
        var previous = update == 1 ? null : await checkpoints.DownloadAsync(run.RunId, update - 1, localRoot, ct);
        var modelFolder = previous?.Directory ?? await models.ResolveAsync(run.BaseModel, ct);
        var trainer = new PolicyTrainer(plan.Options);
        var callbacks = new TrainingCallbacks
        {
            StepCompleted = m => logger.LogInformation(
                "Run {RunId} update {Update}/{Total}: loss {Loss:F4}, reward {Reward:F3}, length {Length:F1}, lr {LearningRate:E2}, clip {ClipFraction:F3}, {Samples} samples",
                run.RunId, update, run.OnlineSteps, m.Loss, m.MeanReward, m.MeanLength, m.LearningRate, m.ClipFraction ?? 0, scored.Count),
            CheckpointSaved = (checkpoint, final) => PublishCheckpointAsync(run.RunId, checkpoint, final, publish, ct).GetAwaiter().GetResult(),
        };

        var result = await TrainInGateAsync(
            () => loader.Load(modelFolder, options.Device),
            policy => trainer.TrainUpdate(policy, plan.Recipe, localRoot, previous, update, run.OnlineSteps, callbacks, ct), ct);
        RemoveLocalCheckpoints(run.RunId, runRoot);
        await DeleteUnusedVersionsAsync(run, update, ct);
        return result;
    }

    private async Task DeleteUnusedVersionsAsync(StartPruningRun run, int update, CancellationToken ct)
    {
        var keepFrom = update - run.MaxStaleness - 1;
        foreach (var step in (await checkpoints.StepsAsync(run.RunId, ct)).Where(s => s < keepFrom))
        {
            await checkpoints.DeleteAsync(run.RunId, step, ct);
            logger.LogInformation("Run {RunId}: policy version {Step} deleted from the store (no worker samples from it any more)", run.RunId, step);
        }
    }

    private async Task<List<ScoredSample>> ReadScoredAsync(TrainPolicy message, CancellationToken ct)
    {
        var scored = new List<ScoredSample>();
        foreach (var blob in message.RewardsBlobs)
        {
            await using var stream = await store.OpenReadAsync(blob, ct)
                ?? throw new InvalidDataException($"Run {message.RunId}: rewards shard {blob} does not exist");
            scored.AddRange(await SampleJsonLines.ReadAsync<ScoredSample>(stream, blob, ct));
        }
        return scored;
    }

    /// <summary>
    /// Every checkpoint of a finished training is in the store by now (each was uploaded before training went on, the
    /// final one included), so the local copies only fill the disk: a 0.5B full fine-tuning run left 12 GB of them
    /// (weights and AdamW moments, twice) under the work root. A redelivered command downloads what it needs again.
    /// </summary>
    private void RemoveLocalCheckpoints(string runId, string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Run {RunId}: could not remove its local checkpoints in {Folder}: {Reason}", runId, folder, e.Message);
        }
    }

    /// <summary>
    /// The checkpoint to continue from: the newer of the local one and the store's. A local checkpoint the store lacks
    /// (the process died between committing and uploading it) is uploaded and announced now.
    /// </summary>
    private async Task<TrainingCheckpoint?> ResumePointAsync(string runId, string localRoot, IPublishEndpoint publish, CancellationToken ct)
    {
        // A corrupt newest checkpoint (a torn copy, a damaged disk) falls back to the one before it, locally and in the store.
        var local = TrainingCheckpoint.FindLatest(localRoot, (folder, problem) =>
            logger.LogWarning("Run {RunId}: local checkpoint {Folder} skipped: {Problem}", runId, folder, problem));
        foreach (var step in await checkpoints.StepsAsync(runId, ct))
        {
            if (local is not null && local.State.Step >= step)
            {
                break;
            }
            try
            {
                var downloaded = await checkpoints.DownloadAsync(runId, step, localRoot, ct);
                logger.LogInformation("Run {RunId} resumes from stored checkpoint step {Step}", runId, step);
                return downloaded;
            }
            catch (InvalidDataException e)
            {
                logger.LogWarning("Run {RunId}: stored checkpoint step {Step} skipped: {Problem}", runId, step, e.Message);
            }
        }
        if (local is not null && !await checkpoints.ExistsAsync(runId, local.State.Step, ct))
        {
            await PublishCheckpointAsync(runId, local, local.State.Step == local.State.TotalSteps, publish, ct);
        }
        return local;
    }

    private async Task PublishCheckpointAsync(string runId, TrainingCheckpoint checkpoint, bool isFinal, IPublishEndpoint publish, CancellationToken ct)
    {
        var uploaded = await checkpoints.UploadIfAbsentAsync(runId, checkpoint, ct);
        var prefix = CheckpointBlobs.Prefix(runId, checkpoint.State.Step);
        logger.LogInformation("Run {RunId} checkpoint step {Step} {Action} {Prefix}", runId, checkpoint.State.Step, uploaded ? "uploaded to" : "already in", prefix);
        await publish.Publish(new CheckpointPublished
        {
            RunId = runId,
            Checkpoint = prefix,
            Step = checkpoint.State.Step,
            Epoch = checkpoint.State.Epoch,
            IsFinal = isFinal,
        }, ct);
    }
}

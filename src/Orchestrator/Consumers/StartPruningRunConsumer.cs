using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Problems;
using PrunerPipeline.Orchestrator.Sharding;
using PrunerPipeline.Orchestrator.Validation;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Consumers;

/// <summary>
/// The front door (queue <c>start-pruning-run</c>): validates a run, stores its settings and shard plan, and announces
/// <see cref="RunAccepted"/> (which starts the run saga) or <see cref="RunRejected"/> with one reason per bad field.
/// A redelivered identical request is accepted again (idempotent); a different request for an existing run id is rejected.
/// </summary>
public sealed class StartPruningRunConsumer(RunValidator validator, MethodRegistry methods, IProblemSource problems, IArtifactStore store, ILogger<StartPruningRunConsumer> logger)
    : IConsumer<StartPruningRun>
{
    public async Task Consume(ConsumeContext<StartPruningRun> context)
    {
        var run = context.Message;
        var ct = context.CancellationToken;
        var reasons = (await validator.ValidateAsync(run, ct)).ToList();

        if (reasons.Count == 0)
        {
            var existing = await store.ReadTextAsync(ArtifactLayout.RunSpec(run.RunId), ct);
            if (existing is not null && !SameSettings(existing, run))
            {
                reasons.Add($"runId: '{run.RunId}' already exists with different settings; allowed: a new run id");
            }
        }

        if (reasons.Count > 0)
        {
            logger.LogWarning("Run {RunId} rejected: {Reasons}", ArtifactName.Printable(run.RunId ?? ""), string.Join("; ", reasons));
            await context.Publish(new RunRejected { RunId = run.RunId ?? "", Reasons = reasons }, ct);
            return;
        }

        // A prompt-only method (Fast-solving prompt) samples nothing: no shards.
        var plan = methods[run.Method].Samples ? ShardPlanner.Plan(run, problems.TrainingProblemIds(run.TrainingDataset)) : null;
        if (plan is not null)
        {
            await store.WriteJsonAsync(ArtifactLayout.ShardPlan(run.RunId), plan, ct);
        }
        // run.json last: once it exists the run exists. It is the record of the run; the settings travel in the messages.
        await store.WriteJsonAsync(ArtifactLayout.RunSpec(run.RunId), run, ct);

        logger.LogInformation("Run {RunId} accepted: {Method}, {Problems} problems in {Shards} shards, sample set {SampleSetId}",
            run.RunId, run.Method, plan?.Problems ?? 0, plan?.Shards.Count ?? 0, plan?.SampleSetId ?? "none");
        await context.Publish(new RunAccepted
        {
            RunId = run.RunId,
            Shards = plan?.Shards.Count ?? 0,
            Problems = plan?.Problems ?? 0,
            SampleSetId = plan?.SampleSetId,
            RunSpecBlob = ArtifactLayout.RunSpec(run.RunId),
            Run = run,
        }, ct);
    }

    private static bool SameSettings(string storedJson, StartPruningRun run)
    {
        var stored = JsonSerializer.Deserialize<StartPruningRun>(storedJson, ArtifactStoreExtensions.JsonOptions);
        return stored is not null
            && JsonSerializer.Serialize(stored, ArtifactStoreExtensions.JsonOptions) == JsonSerializer.Serialize(run, ArtifactStoreExtensions.JsonOptions);
    }
}

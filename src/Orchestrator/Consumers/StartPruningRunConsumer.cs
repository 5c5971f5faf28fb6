using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Orchestrator.Problems;
using PrunerPipeline.Orchestrator.Sharding;
using PrunerPipeline.Orchestrator.Validation;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.Orchestrator.Consumers;

/// <summary>
/// The front door (queue <c>start-pruning-run</c>): validates a run, stores its settings and shard plan, and announces
/// <see cref="RunAccepted"/> (which starts the run saga) or <see cref="RunRejected"/> with one reason per bad field.
/// A redelivered identical request is accepted again (idempotent); a different request for an existing run id is rejected.
/// The run id is claimed by creating <c>runs/{run}/run.json</c> only if it does not exist, so the same id submitted twice
/// at the same moment is accepted once. Fields the message does not define are rejected by name.
/// </summary>
public sealed class StartPruningRunConsumer(RunValidator validator, MethodRegistry methods, IProblemSource problems, IArtifactStore store, ILogger<StartPruningRunConsumer> logger)
    : IConsumer<StartPruningRun>
{
    public async Task Consume(ConsumeContext<StartPruningRun> context)
    {
        var run = context.Message;
        var ct = context.CancellationToken;
        // Unknown fields first: a typo such as "lamda" would otherwise run silently with the default.
        var reasons = UnknownFieldReasons(context).ToList();
        reasons.AddRange(await validator.ValidateAsync(run, ct));

        var created = false;
        if (reasons.Count == 0)
        {
            // Claim the run id with a conditional create: two submissions racing with the same id, one wins; the
            // other finds the winner's settings and is accepted (the same settings) or rejected (different ones).
            created = await store.CreateJsonAsync(ArtifactLayout.RunSpec(run.RunId), run, ct);
            if (!created)
            {
                var existing = await store.ReadTextAsync(ArtifactLayout.RunSpec(run.RunId), ct);
                if (existing is not null && !SameSettings(existing, run))
                {
                    reasons.Add($"runId: '{run.RunId}' already exists with different settings; allowed: a new run id");
                }
            }
        }

        if (reasons.Count > 0)
        {
            logger.LogWarning("Run {RunId} rejected: {Reasons}", ArtifactName.Printable(run.RunId ?? ""), string.Join("; ", reasons));
            await context.Publish(new RunRejected { RunId = run.RunId ?? "", Reasons = reasons, SubmissionId = context.MessageId }, ct);
            return;
        }

        // A prompt-only method (Fast-solving prompt) samples nothing: no shards. The plan is deterministic in the settings,
        // so a redelivered request (or the loser of a race with the same settings) rewrites the same blob.
        var method = methods[run.Method];
        var plan = !method.Samples ? null
            : method.Online ? ShardPlanner.PlanOnline(run, problems.TrainingProblemIds(run.TrainingDataset))
            : ShardPlanner.Plan(run, problems.TrainingProblemIds(run.TrainingDataset));
        if (plan is not null)
        {
            await store.WriteJsonAsync(ArtifactLayout.ShardPlan(run.RunId), plan, ct);
        }

        logger.LogInformation("Run {RunId} accepted{Again}: {Method}, {Problems} problems in {Shards} shards, sample set {SampleSetId}",
            run.RunId, created ? "" : " again (same settings)", run.Method, plan?.Problems ?? 0, plan?.Shards.Count ?? 0, plan?.SampleSetId ?? "none");
        await context.Publish(new RunAccepted
        {
            RunId = run.RunId,
            Shards = plan?.Shards.Count ?? 0,
            Problems = plan?.Problems ?? 0,
            SampleSetId = plan?.SampleSetId,
            RunSpecBlob = ArtifactLayout.RunSpec(run.RunId),
            Run = run,
            SubmissionId = context.MessageId,
        }, ct);
    }

    /// <summary>One reason per field of the message's JSON that <see cref="StartPruningRun"/> does not have (envelope or raw body).</summary>
    private static IReadOnlyList<string> UnknownFieldReasons(ConsumeContext<StartPruningRun> context) =>
        StrictJson.MessageJson(context.ReceiveContext) is { } json
            ? StrictJson.UnknownFieldReasons<StartPruningRun>(json, ArtifactStoreExtensions.JsonOptions)
            : [];

    private static bool SameSettings(string storedJson, StartPruningRun run)
    {
        var stored = JsonSerializer.Deserialize<StartPruningRun>(storedJson, ArtifactStoreExtensions.JsonOptions);
        return stored is not null
            && JsonSerializer.Serialize(stored, ArtifactStoreExtensions.JsonOptions) == JsonSerializer.Serialize(run, ArtifactStoreExtensions.JsonOptions);
    }
}

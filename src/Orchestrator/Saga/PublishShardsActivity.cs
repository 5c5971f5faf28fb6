using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Orchestrator.Sharding;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>On acceptance of a sampling run: one <see cref="GenerateRollouts"/> per shard of the orchestrator's stored shard plan, with the run's sampling settings.</summary>
public sealed class PublishShardsActivity(IArtifactStore store, ILogger<PublishShardsActivity> logger) : IStateMachineActivity<PruningRunState, RunAccepted>
{
    public async Task Execute(BehaviorContext<PruningRunState, RunAccepted> context, IBehavior<PruningRunState, RunAccepted> next)
    {
        var runId = context.Message.RunId;
        var run = context.Message.Run;
        var plan = await store.ReadJsonAsync<ShardPlan>(ArtifactLayout.ShardPlan(runId), context.CancellationToken)
            ?? throw new InvalidOperationException($"Run {runId} was accepted but its shard plan is missing");

        for (var shard = 0; shard < plan.Shards.Count; shard++)
        {
            await context.Publish(new GenerateRollouts
            {
                RunId = runId,
                SampleSetId = plan.SampleSetId,
                ShardIndex = shard,
                ShardCount = plan.Shards.Count,
                Dataset = plan.Dataset,
                ProblemIds = plan.Shards[shard],
                BaseModel = run.BaseModel,
                SamplesPerProblem = run.SamplesPerProblem,
                MaxNewTokens = run.MaxNewTokens,
                Temperature = run.Temperature,
                TopP = run.TopP,
                Seed = run.Seed,
            });
        }
        logger.LogInformation("Run {RunId}: {Shards} GenerateRollouts commands published for sample set {SampleSetId}", runId, plan.Shards.Count, plan.SampleSetId);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<PruningRunState, RunAccepted, TException> context, IBehavior<PruningRunState, RunAccepted> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("publish-shards");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}

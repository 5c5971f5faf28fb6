using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>On acceptance of a sampling run: one <see cref="GenerateRollouts"/> per shard of the orchestrator's stored shard plan, with the run's sampling settings.</summary>
public sealed class PublishShardsActivity(StageCommands commands, ILogger<PublishShardsActivity> logger) : IStateMachineActivity<PruningRunState, RunAccepted>
{
    public async Task Execute(BehaviorContext<PruningRunState, RunAccepted> context, IBehavior<PruningRunState, RunAccepted> next)
    {
        var runId = context.Message.RunId;
        var plan = await commands.PlanAsync(runId, context.CancellationToken);
        for (var shard = 0; shard < plan.Shards.Count; shard++)
        {
            await context.Publish(StageCommands.Shard(plan, context.Message.Run, shard));
        }
        logger.LogInformation("Run {RunId}: {Shards} GenerateRollouts commands published for sample set {SampleSetId}", runId, plan.Shards.Count, plan.SampleSetId);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<PruningRunState, RunAccepted, TException> context, IBehavior<PruningRunState, RunAccepted> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("publish-shards");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}

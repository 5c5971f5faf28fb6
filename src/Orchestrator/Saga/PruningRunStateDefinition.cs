using MassTransit;

namespace PrunerPipeline.Orchestrator.Saga;

/// <summary>
/// Endpoint <c>pruning-run</c>. One message at a time per orchestrator (run events are few; it avoids needless version
/// conflicts), retries on version conflicts with another orchestrator, and an in-memory outbox so commands leave only
/// after the new state is stored.
/// </summary>
public sealed class PruningRunStateDefinition : SagaDefinition<PruningRunState>
{
    public PruningRunStateDefinition()
    {
        EndpointName = "pruning-run";
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<PruningRunState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<ConcurrencyException>();
            r.Intervals(50, 100, 200, 400, 800, 1600);
        });
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}

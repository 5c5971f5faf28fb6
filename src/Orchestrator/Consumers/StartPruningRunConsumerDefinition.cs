using MassTransit;

namespace PrunerPipeline.Orchestrator.Consumers;

/// <summary>
/// Endpoint <c>start-pruning-run</c>. Besides MassTransit envelopes it accepts a plain JSON <c>StartPruningRun</c> body
/// (no content type, e.g. pasted into the RabbitMQ management console), so a run can be started by hand.
/// Bodies that are not valid JSON of that shape fail deserialization and go to <c>start-pruning-run_error</c> with the reason.
/// </summary>
public sealed class StartPruningRunConsumerDefinition : ConsumerDefinition<StartPruningRunConsumer>
{
    public StartPruningRunConsumerDefinition()
    {
        EndpointName = "start-pruning-run";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<StartPruningRunConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.All, isDefault: true);
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}

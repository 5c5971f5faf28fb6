using MassTransit;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// One shard at a time per worker, and no prefetched shard waiting behind it: an idle worker takes the next shard,
/// a slow one hoards nothing. More throughput comes from more worker processes on the <c>generate-rollouts</c> queue.
/// </summary>
public sealed class GenerateRolloutsConsumerDefinition : ConsumerDefinition<GenerateRolloutsConsumer>
{
    public GenerateRolloutsConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateRolloutsConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
    }
}

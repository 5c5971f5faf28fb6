using MassTransit;

namespace PrunerPipeline.Hosting.Messaging;

/// <summary>
/// The endpoint of a consumer whose work takes the whole process (model sampling, training, evaluation): one message at
/// a time, so more throughput comes from more processes on the same queue. With <c>holdNothingAhead</c> no message is
/// prefetched behind the one in hand either: an idle process takes the next one, a busy one hoards nothing.
/// </summary>
public abstract class OneAtATimeConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly bool holdNothingAhead;

    protected OneAtATimeConsumerDefinition(string endpointName, bool holdNothingAhead)
    {
        EndpointName = endpointName;
        ConcurrentMessageLimit = 1;
        this.holdNothingAhead = holdNothingAhead;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (holdNothingAhead)
        {
            endpointConfigurator.PrefetchCount = 1;
        }
    }
}

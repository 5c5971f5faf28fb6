using MassTransit;

namespace PrunerPipeline.TrainerService.Consumers;

/// <summary>One training at a time per process (it uses every core); checkpoints are published as they are made, so no outbox.</summary>
public sealed class TrainPolicyConsumerDefinition : ConsumerDefinition<TrainPolicyConsumer>
{
    public TrainPolicyConsumerDefinition()
    {
        EndpointName = "train-policy";
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TrainPolicyConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
    }
}

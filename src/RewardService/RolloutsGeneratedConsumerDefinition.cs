using MassTransit;

namespace PrunerPipeline.RewardService;

/// <summary>Scoring is cheap (grading and arithmetic): a few shards at once on the <c>rollouts-generated</c> endpoint.</summary>
public sealed class RolloutsGeneratedConsumerDefinition : ConsumerDefinition<RolloutsGeneratedConsumer>
{
    public RolloutsGeneratedConsumerDefinition()
    {
        ConcurrentMessageLimit = 4;
    }
}

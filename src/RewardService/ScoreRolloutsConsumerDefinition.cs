using MassTransit;

namespace PrunerPipeline.RewardService;

/// <summary>Scoring is cheap (grading and arithmetic): a few shards at once on the <c>score-rollouts</c> endpoint.</summary>
public sealed class ScoreRolloutsConsumerDefinition : ConsumerDefinition<ScoreRolloutsConsumer>
{
    public ScoreRolloutsConsumerDefinition()
    {
        EndpointName = "score-rollouts";
        ConcurrentMessageLimit = 4;
    }
}

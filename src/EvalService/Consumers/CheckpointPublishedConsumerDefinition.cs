using MassTransit;

namespace PrunerPipeline.EvalService.Consumers;

/// <summary>
/// Evaluation is CPU-bound model work: one checkpoint at a time per process (more would only fight for the same
/// cores); scale out with more evaluation processes on the <c>checkpoint-published</c> queue.
/// </summary>
public sealed class CheckpointPublishedConsumerDefinition : ConsumerDefinition<CheckpointPublishedConsumer>
{
    public CheckpointPublishedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }
}

using MassTransit;

namespace PrunerPipeline.EvalService.Consumers;

/// <summary>
/// Evaluation is CPU-bound model work: one checkpoint at a time per process (more would only fight for the same
/// cores); scale out with more evaluation processes on the <c>evaluate-checkpoint</c> queue.
/// </summary>
public sealed class EvaluateCheckpointConsumerDefinition : ConsumerDefinition<EvaluateCheckpointConsumer>
{
    public EvaluateCheckpointConsumerDefinition()
    {
        EndpointName = "evaluate-checkpoint";
        ConcurrentMessageLimit = 1;
    }
}

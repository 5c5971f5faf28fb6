using PrunerPipeline.Hosting.Messaging;

namespace PrunerPipeline.EvalService.Consumers;

/// <summary>
/// Evaluation is CPU-bound model work: one checkpoint at a time per process (more would only fight for the same
/// cores); scale out with more evaluation processes on the <c>evaluate-checkpoint</c> queue.
/// </summary>
public sealed class EvaluateCheckpointConsumerDefinition()
    : OneAtATimeConsumerDefinition<EvaluateCheckpointConsumer>("evaluate-checkpoint", holdNothingAhead: false);

using PrunerPipeline.Hosting.Messaging;

namespace PrunerPipeline.RolloutService;

/// <summary>
/// One shard at a time per worker, and no prefetched shard waiting behind it: an idle worker takes the next shard,
/// a slow one hoards nothing. More throughput comes from more worker processes on the <c>generate-rollouts</c> queue.
/// </summary>
public sealed class GenerateRolloutsConsumerDefinition()
    : OneAtATimeConsumerDefinition<GenerateRolloutsConsumer>("generate-rollouts", holdNothingAhead: true);

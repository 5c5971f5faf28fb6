using PrunerPipeline.Hosting.Messaging;

namespace PrunerPipeline.TrainerService.Consumers;

/// <summary>One training at a time per process (it uses every core); checkpoints are published as they are made, so no outbox.</summary>
public sealed class TrainPolicyConsumerDefinition()
    : OneAtATimeConsumerDefinition<TrainPolicyConsumer>("train-policy", holdNothingAhead: true);

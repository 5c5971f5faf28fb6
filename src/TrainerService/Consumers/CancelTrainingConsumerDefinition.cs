using MassTransit;

namespace PrunerPipeline.TrainerService.Consumers;

/// <summary>
/// Every trainer process needs its own copy of each <c>CancelRun</c> (any of them may hold the run), so the endpoint is
/// temporary and per instance rather than a shared competing queue.
/// </summary>
public sealed class CancelTrainingConsumerDefinition : ConsumerDefinition<CancelTrainingConsumer>
{
    public CancelTrainingConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = "cancel-training";
            e.InstanceId = Guid.NewGuid().ToString("N")[..8];
            e.Temporary = true;
        });
    }
}

using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.TrainerService.Jobs;

namespace PrunerPipeline.TrainerService.Consumers;

/// <summary>Trips the cancellation of a run's training if this process is running it (or gets it later).</summary>
public sealed class CancelTrainingConsumer(TrainingJobs jobs, ILogger<CancelTrainingConsumer> logger) : IConsumer<CancelRun>
{
    public Task Consume(ConsumeContext<CancelRun> context)
    {
        if (jobs.Cancel(context.Message.RunId, context.Message.Reason))
        {
            logger.LogInformation("Cancelling training of run {RunId}: {Reason}", context.Message.RunId, context.Message.Reason);
        }
        return Task.CompletedTask;
    }
}

using MassTransit;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Contracts;
using PrunerPipeline.TrainerService.Jobs;

namespace PrunerPipeline.TrainerService.Consumers;

/// <summary>
/// Queue <c>train-policy</c>: runs a run's training as one long job. A <see cref="CancelRun"/> stops it at the next step
/// boundary and the message is consumed (the run is over); a shutdown stops it too, but the message goes back to the
/// queue and the next trainer resumes from the last checkpoint.
/// </summary>
public sealed class TrainPolicyConsumer(PolicyTrainingJob job, TrainingJobs jobs, ILogger<TrainPolicyConsumer> logger) : IConsumer<TrainPolicy>
{
    public async Task Consume(ConsumeContext<TrainPolicy> context)
    {
        var runId = context.Message.RunId;
        using var lease = jobs.Begin(runId, context.CancellationToken);
        try
        {
            await job.RunAsync(context.Message, context, lease.Token);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested && jobs.IsCancelled(runId))
        {
            logger.LogInformation("Training of run {RunId} cancelled", runId);
        }
    }
}

using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.Model.Memory;

namespace PrunerPipeline.EvalService.Consumers;

/// <summary>
/// Queue <c>evaluate-checkpoint</c>: evaluates the checkpoint the saga commands (for a prompt-only method, the base
/// model itself) against the run's reference model, writes <c>runs/{run}/eval/step-{n}/report.*</c> and publishes
/// <see cref="EvaluationCompleted"/>. Idempotent: report.json is written last, and a redelivered command whose report
/// exists publishes the stored figures again without evaluating. A command for a run the orchestrator never accepted
/// is dropped to <c>_error</c> with the reason before anything is read or written.
/// </summary>
public sealed class EvaluateCheckpointConsumer(IArtifactStore store, CheckpointEvaluator evaluator, IOptions<EvalOptions> options,
    ModelWorkGate gate, ILogger<EvaluateCheckpointConsumer> logger) : IConsumer<EvaluateCheckpoint>
{
    public async Task Consume(ConsumeContext<EvaluateCheckpoint> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        // Only for runs the orchestrator accepted: a forged or stray command must not make this service load a model or write a report.
        await UnknownRunException.ThrowUnlessAcceptedAsync(store, message.RunId, nameof(EvaluateCheckpoint), ct);
        if (ForeignModel(message) is { } problem)
        {
            // Not the saga's command: dropped with one line, without a Fault that would end the live run it names.
            logger.LogWarning("EvaluateCheckpoint for run {RunId} dropped: {Problem}", ArtifactName.Printable(message.RunId ?? ""), problem);
            return;
        }
        if (!message.IsFinal && !options.Value.EvaluateIntermediateCheckpoints)
        {
            logger.LogInformation("Checkpoint {Step} of run {RunId} is not final: not evaluated", message.Step, message.RunId);
            return;
        }

        var reportBlob = ArtifactLayout.Report(message.RunId, message.Step);
        var report = await store.ReadJsonAsync<EvaluationReport>(reportBlob, ct);
        if (report is null)
        {
            var throttle = new ProgressThrottle(ProgressThrottle.DefaultInterval);
            // Only the decoding holds the gate: rendering and uploading the report need no model.
            using (await gate.EnterAsync(ct))
            {
                report = await evaluator.EvaluateAsync(message, (done, total, detail) =>
                {
                    if (throttle.ShouldReport(final: done == total))
                        Report(context, done, total, detail);
                }, ct);
            }
            var folder = ArtifactLayout.EvalFolder(message.RunId, message.Step);
            var files = ReportDocuments.Render(report);
            foreach (var (name, content) in files.Where(f => f.Key != ReportDocuments.Json))
            {
                await WriteAsync($"{folder}/{name}", content, ct);
            }
            await WriteAsync(reportBlob, files[ReportDocuments.Json], ct);
        }
        else
        {
            logger.LogInformation("Checkpoint {Step} of run {RunId} was already evaluated: {Report} is published again", message.Step, message.RunId, reportBlob);
        }

        var method = report.Methods.Values.Single();
        await context.Publish(new EvaluationCompleted
        {
            RunId = message.RunId,
            Checkpoint = message.Checkpoint,
            IsFinal = message.IsFinal,
            ReportBlob = reportBlob,
            Accuracy = method.Accuracy,
            MeanLength = method.MeanLength,
            ReferenceAccuracy = report.Reference.Accuracy,
            ReferenceMeanLength = report.Reference.MeanLength,
            Aes = method.Aes ?? 0,
        }, ct);
    }

    /// <summary>
    /// The saga evaluates only the run's base model (step 0) or the run's own checkpoint of that step; anything else (a
    /// local path, another run's checkpoint, settings of another run) is a forged or stray command. Null when it is the saga's.
    /// </summary>
    public static string? ForeignModel(EvaluateCheckpoint message)
    {
        if (ArtifactName.CheckRunId(message.RunId) is { } badId)
        {
            return badId;
        }
        if (message.Run?.RunId != message.RunId)
        {
            return $"its settings are run '{ArtifactName.Printable(message.Run?.RunId ?? "")}''s";
        }
        var expected = message.Step == 0 ? message.Run.BaseModel : ArtifactLayout.Checkpoint(message.RunId, message.Step);
        return message.Step >= 0 && message.Checkpoint == expected
            ? null
            : $"checkpoint '{ArtifactName.Printable(message.Checkpoint ?? "")}' is not the run's {(message.Step == 0 ? "base model" : "checkpoint")} '{ArtifactName.Printable(expected)}'";
    }

    private async Task WriteAsync(string name, byte[] content, CancellationToken ct)
    {
        using var stream = new MemoryStream(content, writable: false);
        await store.WriteAsync(name, stream, ct);
    }

    private static void Report(ConsumeContext<EvaluateCheckpoint> context, long done, long total, string detail)
    {
        // Called from the generator's thread between batches; progress is advisory, so a failed publish only loses one update.
        try
        {
            context.Publish(new StageProgress { RunId = context.Message.RunId, Stage = "evaluating", Done = done, Total = total, Detail = detail })
                .GetAwaiter().GetResult();
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
        }
    }
}

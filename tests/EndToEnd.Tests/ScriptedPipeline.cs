using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.EndToEnd.Tests;

/// <summary>
/// Stands in for the whole pipeline on the bus, to test how the demo follows runs: every run walks accepted → two
/// shards sampled → training → final checkpoint → completed with a one-method report, except a DPO run, which faults
/// while training. The report's numbers are fixed per method.
/// </summary>
public sealed class StartPruningRunConsumer(IArtifactStore store) : IConsumer<StartPruningRun>
{
    public static readonly IReadOnlyDictionary<PruningMethod, (double Accuracy, double Length)> Results = new Dictionary<PruningMethod, (double, double)>
    {
        [PruningMethod.O1Pruner] = (0.9, 50),
        [PruningMethod.Sft] = (0.8, 80),
        [PruningMethod.FastPrompt] = (0.7, 90),
    };

    public async Task Consume(ConsumeContext<StartPruningRun> context)
    {
        var run = context.Message;
        await context.Publish(new RunAccepted { RunId = run.RunId, Shards = 2, Problems = 4, RunSpecBlob = $"runs/{run.RunId}/run.json", Run = run });
        for (var shard = 0; shard < 2; shard++)
        {
            await context.Publish(new RolloutsGenerated { RunId = run.RunId, SampleSetId = "s", ShardIndex = shard, RolloutsBlob = "b", Problems = 2, Samples = 4, Tokens = 100, Seconds = 0.1 });
        }
        await context.Publish(new TrainPolicy { RunId = run.RunId, Run = run, RewardsBlobs = [] });
        if (run.Method == PruningMethod.Dpo)
        {
            await context.Publish(new RunFaulted { RunId = run.RunId, Stage = "training", Reason = "no preference pairs" });
            return;
        }
        await context.Publish(new CheckpointPublished { RunId = run.RunId, Checkpoint = "c", Step = 1, Epoch = 0, IsFinal = true });
        var reportBlob = $"runs/{run.RunId}/eval/step-000001/report.json";
        var (accuracy, length) = Results[run.Method];
        await store.WriteJsonAsync(reportBlob, new EvaluationReport
        {
            Title = run.RunId,
            Reference = Result("Reference", 0.75, 100),
            Methods = new Dictionary<string, ModelResult> { [run.Method.Key] = Result(run.Method.ToString(), accuracy, length) },
            TrainingCurves = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>> { [run.Method.Key] = [new(1, 0.5, 0.1, length)] },
        }, context.CancellationToken);
        await context.Publish(new RunCompleted { RunId = run.RunId, ReportBlob = reportBlob, Accuracy = accuracy, MeanLength = length, Aes = 0 });
    }

    private static ModelResult Result(string label, double accuracy, double length) =>
        new(label, accuracy, MeanLength: length, P50Length: length, P90Length: length, Problems: 4, Truncated: 0, WallSeconds: 1, TokensPerSecond: 100);
}

using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Models;

namespace PrunerPipeline.EvalService.Consumers;

/// <summary>
/// Evaluates a published checkpoint and the run's reference model on the run's evaluation sets, writes
/// <c>runs/{run}/eval/step-{n}/report.*</c> and publishes <see cref="EvaluationCompleted"/>. For a Fast-solving run the
/// "checkpoint" is the base model itself, asked with the brief instruction.
/// </summary>
public sealed class CheckpointPublishedConsumer : IConsumer<CheckpointPublished>
{
    private readonly IArtifactStore store;
    private readonly ModelLocator locator;
    private readonly ModelEvaluator evaluator;
    private readonly EvalOptions options;
    private readonly string? datasetsRoot;
    private readonly ILogger<CheckpointPublishedConsumer> logger;

    public CheckpointPublishedConsumer(IArtifactStore store, ModelLocator locator, ModelEvaluator evaluator, IOptions<EvalOptions> options,
        IConfiguration configuration, ILogger<CheckpointPublishedConsumer> logger)
    {
        this.store = store;
        this.locator = locator;
        this.evaluator = evaluator;
        this.options = options.Value;
        datasetsRoot = configuration["Datasets:Root"];
        this.logger = logger;
    }

    public async Task Consume(ConsumeContext<CheckpointPublished> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        if (!message.IsFinal && !options.EvaluateIntermediateCheckpoints)
        {
            logger.LogInformation("Checkpoint {Step} of run {RunId} is not final: not evaluated", message.Step, message.RunId);
            return;
        }

        var reportBlob = EvalBlobs.Report(message.RunId, message.Step);
        var report = await store.ReadJsonAsync<EvaluationReport>(reportBlob, ct);
        if (report is null)
        {
            var run = await store.ReadJsonAsync<StartPruningRun>(EvalBlobs.RunSpec(message.RunId), ct)
                ?? throw new InvalidOperationException($"Run {message.RunId} has no {EvalBlobs.RunSpec(message.RunId)}: it was never accepted");
            report = await EvaluateAsync(context, run, ct);
            var folder = EvalBlobs.EvalFolder(message.RunId, message.Step);
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

    private async Task WriteAsync(string name, byte[] content, CancellationToken ct)
    {
        using var stream = new MemoryStream(content, writable: false);
        await store.WriteAsync(name, stream, ct);
    }

    private async Task<EvaluationReport> EvaluateAsync(ConsumeContext<CheckpointPublished> context, StartPruningRun run, CancellationToken ct)
    {
        var message = context.Message;
        var samples = Math.Max(1, options.SamplesPerProblem);
        var decoding = new EvaluationDecoding(run.MaxNewTokens, samples > 1 ? options.Temperature : 0, samples > 1 ? options.TopP : 1, samples,
            Math.Max(1, options.BatchSize), run.Seed);
        var brief = run.Method == PruningMethod.FastPrompt;
        var referenceFolder = await locator.ResolveAsync(run.BaseModel, ct);
        var candidateFolder = await locator.ResolveAsync(message.Checkpoint, ct);

        var sets = run.EvaluationDatasets.Select(d => (Dataset: d, Problems: EvaluationSets.Load(d, run.EvaluationProblems, datasetsRoot))).ToList();
        long total = sets.Sum(s => (long)s.Problems.Count * samples) * 2;
        long finished = 0;
        var referenceSummaries = new List<EvaluationSummary>();
        var candidateSummaries = new List<EvaluationSummary>();
        double referenceSeconds = 0, candidateSeconds = 0;
        var referenceCached = true;

        foreach (var (dataset, problems) in sets)
        {
            foreach (var isReference in new[] { true, false })
            {
                var request = isReference
                    ? new EvaluationRequest(run.BaseModel, referenceFolder, dataset, run.EvaluationProblems, false, decoding)
                    : new EvaluationRequest(message.Checkpoint, candidateFolder, dataset, run.EvaluationProblems, brief, decoding);
                var offset = finished;
                var clock = Stopwatch.StartNew();
                var (summary, _, fromCache) = await evaluator.EvaluateAsync(request, problems,
                    (done, count) => Report(context, offset + done, total, $"{(isReference ? "reference" : "checkpoint")} on {dataset}: {done}/{count}"), ct);
                finished = offset + (long)problems.Count * samples;
                if (isReference)
                {
                    referenceSummaries.Add(summary);
                    referenceSeconds += clock.Elapsed.TotalSeconds;
                    referenceCached &= fromCache;
                }
                else
                {
                    candidateSummaries.Add(summary);
                    candidateSeconds += clock.Elapsed.TotalSeconds;
                }
            }
        }

        var pooledName = string.Join("+", run.EvaluationDatasets);
        var reference = EvaluationSummary.Pool(pooledName, referenceSummaries);
        var candidate = EvaluationSummary.Pool(pooledName, candidateSummaries);
        var key = MethodKeys.Of(run.Method);
        var label = MethodLabel(run);
        var curve = run.Method == PruningMethod.FastPrompt ? [] : await ReadTrainingCurveAsync(message.Checkpoint, ct);

        return new EvaluationReport
        {
            Title = $"Run {run.RunId}: {label}, checkpoint step {message.Step}",
            Settings = RunSettings(run, decoding, message),
            Reference = ModelResult.Of("Reference", reference, referenceSummaries),
            Methods = new Dictionary<string, ModelResult>
            {
                [key] = ModelResult.Of(label, candidate, candidateSummaries, reference) with
                {
                    RunId = run.RunId,
                    Checkpoint = message.Checkpoint,
                    Lambda = run.Method == PruningMethod.O1Pruner ? run.Lambda : null,
                },
            },
            Timings = new Dictionary<string, double>
            {
                ["referenceEvaluation"] = referenceSeconds,
                ["checkpointEvaluation"] = candidateSeconds,
            },
            TrainingCurves = curve.Count > 0 ? new Dictionary<string, IReadOnlyList<TrainingCurvePoint>> { [key] = curve } : new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>(),
            Notes = referenceCached ? ["The reference model's evaluation was taken from the evaluation cache (evals/)."] : [],
        };
    }

    public static string MethodLabel(StartPruningRun run) => run.Method == PruningMethod.O1Pruner
        ? string.Create(CultureInfo.InvariantCulture, $"O1-Pruner (λ={run.Lambda:0.##})")
        : MethodKeys.DisplayName(run.Method);

    private static Dictionary<string, string> RunSettings(StartPruningRun run, EvaluationDecoding decoding, CheckpointPublished message) => new()
    {
        ["run"] = run.RunId,
        ["method"] = run.Method.ToString(),
        ["base model"] = run.BaseModel,
        ["checkpoint"] = message.Checkpoint,
        ["evaluation sets"] = string.Join(", ", run.EvaluationDatasets),
        ["evaluation problems per set"] = run.EvaluationProblems == 0 ? "all" : run.EvaluationProblems.ToString(CultureInfo.InvariantCulture),
        ["decoding"] = decoding.Describe(),
        ["training"] = string.Create(CultureInfo.InvariantCulture,
            $"{run.TrainingDataset}, {run.TrainingProblems} problems × K={run.SamplesPerProblem}, {(run.TrainingSamplesPerProblem == 0 ? "all" : run.TrainingSamplesPerProblem.ToString(CultureInfo.InvariantCulture))} per problem trained, ratio {run.RatioGranularity}, advantage {run.Advantage}, ε={run.ClipEpsilon}, lr={run.LearningRate}, batch {run.BatchSize}, {run.Epochs} epoch(s)"),
    };

    private async Task<IReadOnlyList<TrainingCurvePoint>> ReadTrainingCurveAsync(string checkpoint, CancellationToken ct)
    {
        string? text = null;
        if (ModelLocator.IsLocalFolder(checkpoint))
        {
            var path = Path.Combine(checkpoint, "metrics.jsonl");
            text = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : null;
        }
        else
        {
            text = await store.ReadTextAsync(EvalBlobs.TrainingMetrics(ModelLocator.PrefixOf(checkpoint)), ct);
        }
        return text is null ? [] : TrainingMetricsReader.Parse(text);
    }

    private static void Report(ConsumeContext context, long done, long total, string detail)
    {
        // Called from the generator's thread between batches; progress is advisory, so a failed publish only loses one update.
        try
        {
            context.Publish(new StageProgress
            {
                RunId = ((ConsumeContext<CheckpointPublished>)context).Message.RunId,
                Stage = "evaluating",
                Done = done,
                Total = total,
                Detail = detail,
            }).GetAwaiter().GetResult();
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
        }
    }
}

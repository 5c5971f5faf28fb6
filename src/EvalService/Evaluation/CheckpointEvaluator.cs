using System.Diagnostics;
using Microsoft.Extensions.Options;
using PrunerPipeline.Contracts;
using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.EvalService.Reports;
using PrunerPipeline.Hosting.Artifacts;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// One <see cref="EvaluateCheckpoint"/>: the run's reference model and the checkpoint on each of the run's evaluation
/// sets (the reference from the evaluation cache when it was evaluated before), then <see cref="RunReportBuilder"/>.
/// A method with a brief prompt (<see cref="PruningMethodDefinition.BriefPrompt"/>) is asked with the Fast-solving instruction;
/// an online run trained on length-conditioned prompts (l1max) is asked for its <c>lengthTarget</c>, the reference plainly.
/// </summary>
public sealed class CheckpointEvaluator(IArtifactStore store, ModelLocator locator, ModelEvaluator evaluator, MethodRegistry methods,
    IOptions<EvalOptions> options, ProblemLookup problemLookup)
{
    public delegate void Progress(long done, long total, string detail);

    public async Task<EvaluationReport> EvaluateAsync(EvaluateCheckpoint message, Progress progress, CancellationToken ct)
    {
        var run = message.Run;
        var method = methods[run.Method];
        var settings = options.Value;
        var samples = Math.Max(1, settings.SamplesPerProblem);
        var decoding = new EvaluationDecoding(run.MaxNewTokens, samples > 1 ? settings.Temperature : 0, samples > 1 ? settings.TopP : 1, samples,
            Math.Max(1, settings.BatchSize), run.Seed);
        // The run's reference: its base model, or the original model of an iterated run's later round (referenceModel).
        var referenceModel = run.EvaluationReference();
        var referenceFolder = await locator.ResolveAsync(referenceModel, ct);
        var candidateFolder = await locator.ResolveAsync(message.Checkpoint, ct);

        var sets = run.EvaluationDatasets.Select(d => (Dataset: d, Problems: EvaluationSets.Load(d, run.EvaluationProblems, problemLookup.Root))).ToList();
        long total = sets.Sum(s => (long)s.Problems.Count * samples) * 2;
        long finished = 0;
        var reference = new List<EvaluationSummary>();
        var candidate = new List<EvaluationSummary>();
        double referenceSeconds = 0, candidateSeconds = 0;
        var referenceCached = true;

        foreach (var (dataset, problems) in sets)
        {
            foreach (var isReference in new[] { true, false })
            {
                var request = isReference
                    ? new EvaluationRequest(referenceModel, referenceFolder, dataset, run.EvaluationProblems, false, decoding)
                    : new EvaluationRequest(message.Checkpoint, candidateFolder, dataset, run.EvaluationProblems, method.BriefPrompt, decoding,
                        method.Online ? LengthTargetRange.PromptTarget(run) : null);
                var offset = finished;
                var clock = Stopwatch.StartNew();
                var (summary, _, fromCache) = await evaluator.EvaluateAsync(request, problems,
                    (done, count) => progress(offset + done, total, $"{(isReference ? "reference" : "checkpoint")} on {dataset}: {done}/{count}"), ct);
                finished = offset + (long)problems.Count * samples;
                if (isReference)
                {
                    reference.Add(summary);
                    referenceSeconds += clock.Elapsed.TotalSeconds;
                    referenceCached &= fromCache;
                }
                else
                {
                    candidate.Add(summary);
                    candidateSeconds += clock.Elapsed.TotalSeconds;
                }
            }
        }

        var curve = method.Trains ? await ReadTrainingCurveAsync(message.Checkpoint, ct) : [];
        return RunReportBuilder.Build(message, method, decoding, reference, candidate, curve, new Dictionary<string, double>
        {
            ["referenceEvaluation"] = referenceSeconds,
            ["checkpointEvaluation"] = candidateSeconds,
        }, referenceCached);
    }

    private async Task<IReadOnlyList<TrainingCurvePoint>> ReadTrainingCurveAsync(string checkpoint, CancellationToken ct)
    {
        string? text;
        if (ModelLocator.IsLocalFolder(checkpoint))
        {
            var path = Path.Combine(checkpoint, "metrics.jsonl");
            text = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : null;
        }
        else
        {
            text = await store.ReadTextAsync(ArtifactLayout.TrainingMetrics(ModelLocator.PrefixOf(checkpoint)), ct);
        }
        return text is null ? [] : TrainingMetricsReader.Parse(text);
    }
}

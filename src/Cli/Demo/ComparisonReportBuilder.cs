using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.EvalService.Reports;

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// Puts the finished runs' own evaluation reports side by side: one reference, one row per method (AES against
/// that reference), their training curves, and the comparison's stage timings.
/// </summary>
public static class ComparisonReportBuilder
{
    public static async Task<EvaluationReport> BuildAsync(string title, IArtifactStore store, IReadOnlyList<FinishedRun> runs,
        IReadOnlyDictionary<string, double> timings, IReadOnlyDictionary<string, string> settings, PilotSummary? pilot,
        IReadOnlyList<string> notes, CancellationToken ct)
    {
        ModelResult? reference = null;
        var methods = new Dictionary<string, ModelResult>();
        var curves = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>();
        foreach (var run in runs)
        {
            var completed = run.Outcome.FinalEvent as RunCompleted
                ?? throw new DemoStageFailedException("report", $"run {run.Plan.Run.RunId} did not complete");
            var report = await store.ReadJsonAsync<EvaluationReport>(completed.ReportBlob, ct)
                ?? throw new DemoStageFailedException("report", $"run {run.Plan.Run.RunId} completed but its report {completed.ReportBlob} is missing");
            // Every run of a comparison is evaluated on the same problems with the same decoding against the same base
            // model, so their references are the same cached evaluation; the first one speaks for all.
            reference ??= report.Reference;
            // An iterated run: a row per earlier round (each round is evaluated against the original reference), then the last.
            foreach (var round in completed.Rounds?.SkipLast(1) ?? [])
            {
                var roundReport = await store.ReadJsonAsync<EvaluationReport>(round.ReportBlob, ct)
                    ?? throw new DemoStageFailedException("report", $"round {round.Round} of run {run.Plan.Run.RunId} completed but its report {round.ReportBlob} is missing");
                methods[$"{run.Plan.Key}-round{round.Round}"] = Against(reference, roundReport.Methods.Values.Single(), $"{run.Plan.Label}: round {round.Round}")
                    with { TrainingTokensSampled = SampledUpTo(completed, round.Round) };
            }
            methods[run.Plan.Key] = Against(reference, report.Methods.Values.Single(), run.Plan.Label) with { TrainingTokensSampled = completed.TrainingTokensSampled };
            foreach (var (_, curve) in report.TrainingCurves)
            {
                curves[run.Plan.Key] = curve;
            }
        }

        return new EvaluationReport
        {
            Title = title,
            Settings = settings,
            Reference = reference ?? throw new DemoStageFailedException("report", "no run finished"),
            Methods = methods,
            Timings = timings,
            TrainingCurves = curves,
            Pilot = pilot,
            Notes = notes,
        };
    }

    /// <summary>An iterated run's sampling cost up to and including round <paramref name="round"/>.</summary>
    private static long SampledUpTo(RunCompleted completed, int round) =>
        completed.Rounds!.Where(r => r.Round <= round).Sum(r => r.TrainingTokensSampled);

    private static ModelResult Against(ModelResult reference, ModelResult result, string label)
    {
        var efficiency = AccuracyEfficiencyScore.Compute(reference.Accuracy, reference.MeanLength, result.Accuracy, result.MeanLength);
        return result with
        {
            Label = label,
            DeltaLength = efficiency.DeltaLength,
            DeltaAccuracy = efficiency.DeltaAccuracy,
            Aes = efficiency.Aes,
            AesPaper = efficiency.AesPaper,
        };
    }

    /// <summary>The method whose final checkpoint scores the best AES (formula), for the summary line.</summary>
    public static string? BestByAes(EvaluationReport report) =>
        report.Methods.Where(m => m.Value.Aes is not null).OrderByDescending(m => m.Value.Aes).Select(m => m.Key).FirstOrDefault();
}

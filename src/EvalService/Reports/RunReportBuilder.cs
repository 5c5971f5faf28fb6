using System.Globalization;
using PrunerPipeline.Contracts;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.EvalService.Metrics;
using PrunerPipeline.Training.Methods;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>One run's evaluation report: the reference and the run's method (key and label from the method registry) side by side.</summary>
public static class RunReportBuilder
{
    public static EvaluationReport Build(EvaluateCheckpoint message, PruningMethodDefinition method, EvaluationDecoding decoding,
        IReadOnlyList<EvaluationSummary> referenceSets, IReadOnlyList<EvaluationSummary> candidateSets, IReadOnlyList<TrainingCurvePoint> curve,
        IReadOnlyDictionary<string, double> timings, bool referenceCached)
    {
        var run = message.Run;
        var pooledName = string.Join("+", run.EvaluationDatasets);
        var reference = EvaluationSummary.Pool(pooledName, referenceSets);
        var candidate = EvaluationSummary.Pool(pooledName, candidateSets);
        var key = method.Key.Key;
        var label = method.Label(run);
        return new EvaluationReport
        {
            Title = $"Run {run.RunId}: {label}, checkpoint step {message.Step}",
            Settings = Settings(run, decoding, message.Checkpoint),
            Reference = ModelResult.Of("Reference", reference, referenceSets),
            Methods = new Dictionary<string, ModelResult>
            {
                [key] = ModelResult.Of(label, candidate, candidateSets, reference) with
                {
                    RunId = run.RunId,
                    Checkpoint = message.Checkpoint,
                    Lambda = method.ReportedLambda(run),
                },
            },
            Timings = timings,
            TrainingCurves = curve.Count > 0 ? new Dictionary<string, IReadOnlyList<TrainingCurvePoint>> { [key] = curve } : new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>(),
            Notes = referenceCached ? ["The reference model's evaluation was taken from the evaluation cache (evals/)."] : [],
        };
    }

    private static Dictionary<string, string> Settings(StartPruningRun run, EvaluationDecoding decoding, string checkpoint) => new()
    {
        ["run"] = run.RunId,
        ["method"] = run.Method.Key,
        ["base model"] = run.BaseModel,
        ["reference model"] = run.EvaluationReference(),
        ["checkpoint"] = checkpoint,
        ["evaluation sets"] = string.Join(", ", run.EvaluationDatasets),
        ["evaluation problems per set"] = run.EvaluationProblems == 0 ? "all" : run.EvaluationProblems.ToString(CultureInfo.InvariantCulture),
        ["decoding"] = decoding.Describe(),
        ["training"] = string.Create(CultureInfo.InvariantCulture,
            $"{run.TrainingDataset}, {run.TrainingProblems} problems × K={run.SamplesPerProblem}, {(run.TrainingSamplesPerProblem == 0 ? "all" : run.TrainingSamplesPerProblem.ToString(CultureInfo.InvariantCulture))} per problem trained, ratio {SettingNames.Of(run.RatioGranularity)}, advantage {SettingNames.Of(run.Advantage)}, ε={run.ClipEpsilon}, lr={run.LearningRate}, batch {run.BatchSize}, {run.Epochs} epoch(s)"),
    };
}

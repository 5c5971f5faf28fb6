namespace PrunerPipeline.EvalService.Reports;

/// <summary>
/// The machine-readable report (<c>report.json</c>, camelCase): the reference model, each method against it,
/// per-stage timings and training curves. The same shape serves one run's evaluation and the demo's comparison.
/// </summary>
public sealed record EvaluationReport
{
    public required string Title { get; init; }
    public DateTimeOffset GeneratedAt { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>Model, evaluation sets, decoding and training settings, as text for people.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public required ModelResult Reference { get; init; }
    /// <summary>Keyed by the method key (<c>PruningMethod.Key</c>: o1pruner, sft, dpo, fastprompt) or an ablation label.</summary>
    public required IReadOnlyDictionary<string, ModelResult> Methods { get; init; }
    /// <summary>Wall seconds per stage, in the order the stages ran.</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, IReadOnlyList<TrainingCurvePoint>> TrainingCurves { get; init; } = new Dictionary<string, IReadOnlyList<TrainingCurvePoint>>();
    /// <summary>The length-disharmony pilot: accuracy per length quartile, shortest first (null when not run).</summary>
    public PilotSummary? Pilot { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
}

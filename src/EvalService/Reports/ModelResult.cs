using PrunerPipeline.EvalService.Metrics;

namespace PrunerPipeline.EvalService.Reports;

/// <summary>
/// One model's row of a report: the reference model or a method's final checkpoint on the pooled evaluation sets.
/// AES fields are null for the reference itself.
/// </summary>
public sealed record ModelResult(
    string Label, double Accuracy, double MeanLength, double P50Length, double P90Length, int Problems, int Truncated, double WallSeconds,
    double TokensPerSecond)
{
    public double? DeltaLength { get; init; }
    public double? DeltaAccuracy { get; init; }
    /// <summary>AES, the formula (γ = 5 penalty when accuracy drops).</summary>
    public double? Aes { get; init; }
    /// <summary>AES as the paper's Table 2 computes it (β·|ΔA| whatever the sign).</summary>
    public double? AesPaper { get; init; }
    public string? RunId { get; init; }
    public string? Checkpoint { get; init; }
    public double? Lambda { get; init; }
    /// <summary>Completion tokens the method sampled for its training (its sampling cost; null for the reference and for a prompt-only method).</summary>
    public long? TrainingTokensSampled { get; init; }
    public IReadOnlyList<EvaluationSummary> PerDataset { get; init; } = [];
    public IReadOnlyList<DifficultyBreakdown> ByLevel { get; init; } = [];
    public IReadOnlyList<int> Lengths { get; init; } = [];

    public static ModelResult Of(string label, EvaluationSummary pooled, IReadOnlyList<EvaluationSummary> perDataset, EvaluationSummary? reference = null)
    {
        var result = new ModelResult(label, pooled.Accuracy, pooled.MeanLength, pooled.Length.P50, pooled.Length.P90, pooled.Problems, pooled.Truncated,
            pooled.WallSeconds, pooled.TokensPerSecond)
        {
            PerDataset = perDataset.Select(d => d with { Lengths = [] }).ToList(),
            ByLevel = pooled.ByLevel,
            Lengths = pooled.Lengths,
        };
        if (reference is null)
        {
            return result;
        }
        var efficiency = AccuracyEfficiencyScore.Compute(reference.Accuracy, reference.MeanLength, pooled.Accuracy, pooled.MeanLength);
        return result with
        {
            DeltaLength = efficiency.DeltaLength,
            DeltaAccuracy = efficiency.DeltaAccuracy,
            Aes = efficiency.Aes,
            AesPaper = efficiency.AesPaper,
        };
    }
}

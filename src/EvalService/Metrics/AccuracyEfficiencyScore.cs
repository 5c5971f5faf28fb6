namespace PrunerPipeline.EvalService.Metrics;

/// <summary>
/// The Accuracy-Efficiency Score of O1-Pruner (arXiv 2501.12570, §4.1; DESIGN.md §1.5), α = 1, β = 3, γ = 5.
/// The paper's Table 2 numbers match α·ΔL + β·|ΔA| even for rows whose accuracy dropped (Marco-o1 Fast-solving
/// MATH: 71.0 / 1113 vs 73.8 / 1156 → 0.15), so both the formula and that variant are reported, labelled.
/// </summary>
public static class AccuracyEfficiencyScore
{
    public const double Alpha = 1.0;
    public const double Beta = 3.0;
    public const double Gamma = 5.0;

    /// <param name="referenceAccuracy">A_ref, any scale (fraction or percent) as long as <paramref name="accuracy"/> uses the same.</param>
    /// <param name="referenceLength">L_ref, mean solution length in tokens.</param>
    public static EfficiencyMetrics Compute(double referenceAccuracy, double referenceLength, double accuracy, double length)
    {
        if (referenceLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceLength), referenceLength, "The reference mean length must be positive for ΔL");
        }
        var deltaLength = (referenceLength - length) / referenceLength;
        // A reference that solves nothing leaves ΔA undefined; any gain then counts as a full relative gain.
        var deltaAccuracy = referenceAccuracy > 0
            ? (accuracy - referenceAccuracy) / referenceAccuracy
            : accuracy > 0 ? 1.0 : 0.0;
        var formula = deltaAccuracy >= 0
            ? Alpha * deltaLength + Beta * Math.Abs(deltaAccuracy)
            : Alpha * deltaLength - Gamma * Math.Abs(deltaAccuracy);
        var paper = Alpha * deltaLength + Beta * Math.Abs(deltaAccuracy);
        return new EfficiencyMetrics(deltaLength, deltaAccuracy, formula, paper);
    }
}

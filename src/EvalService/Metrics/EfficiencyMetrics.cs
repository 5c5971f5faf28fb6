namespace PrunerPipeline.EvalService.Metrics;

/// <summary>
/// How a method compares with the reference model (DESIGN.md §1.5). ΔL and ΔA are relative changes
/// (positive ΔL = shorter, positive ΔA = more accurate).
/// </summary>
/// <param name="DeltaLength">ΔL = (L_ref − L) / L_ref.</param>
/// <param name="DeltaAccuracy">ΔA = (A − A_ref) / A_ref.</param>
/// <param name="Aes">The AES formula: α·ΔL + β·|ΔA| when ΔA ≥ 0, α·ΔL − γ·|ΔA| when ΔA &lt; 0.</param>
/// <param name="AesPaper">The variant that reproduces the paper's Table 2: α·ΔL + β·|ΔA| whatever the sign of ΔA.</param>
public sealed record EfficiencyMetrics(double DeltaLength, double DeltaAccuracy, double Aes, double AesPaper);

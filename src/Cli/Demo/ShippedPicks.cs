namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// The settings <c>pruner tune</c> picked on the synthetic validation split for the built-in model (docs/benchmarks.md,
/// "Fair tuning"), shipped so that <c>pruner demo</c> needs no tuning of its own. <c>pruner demo --tuned FILE</c> uses a
/// fresh tuning.json instead.
/// </summary>
public static class ShippedPicks
{
    /// <summary>
    /// Each trained method's best validation AES (formula) over the grid 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 2e-4, 3e-4
    /// (O1-Pruner and SFT, picked at its top, also at 5e-4 and 1e-3; DPO also over β 0.1 and 0.5), all on the demo's
    /// samples and budget: <c>pruner tune --methods o1pruner,sft,dpo,grpo</c> on synthetic-validation, 2026-12-07, seed
    /// 1234, on the built-in model a cold demo trains (reference 72.1 % / 67.6 tokens). O1-Pruner 3e-4 (85.9 % / 30.2,
    /// AES 1.13; 2e-4 0.97, 5e-4 1.00), SFT 3e-4 (85.1 % / 34.1, 1.04; 2e-4 0.99, 5e-4 1.00), DPO 1e-5 at β 0.5
    /// (72.4 % / 64.9, 0.050; β 0.1 0.047; from 1e-4 up it collapses to 2–4 %), GRPO 1e-4 (81.2 % / 36.6, 0.84; 2e-4
    /// 0.75, 3e-4 collapses to 34 %). docs/benchmarks.md.
    /// </summary>
    public static IReadOnlyDictionary<string, double> LearningRates { get; } = new Dictionary<string, double>
    {
        ["o1pruner"] = 3e-4,
        ["sft"] = 3e-4,
        ["dpo"] = 1e-5,
        ["grpo"] = 1e-4,
    };

    /// <summary>DPO's β (configuration key <c>Trainer:DpoBeta</c>); null keeps the trainer's default.</summary>
    public static double? DpoBeta => 0.5;

    /// <summary>The picks (from <see cref="LearningRates"/> and <see cref="DpoBeta"/>) and the grid, for the report's settings.</summary>
    public static string Description
    {
        get
        {
            var picks = string.Join(", ", LearningRates.Select(p => TuningTrial.DescribePick(p.Key, p.Value, p.Key == "dpo" ? DpoBeta : null)));
            return picks + ": each the best validation AES of pruner tune on synthetic-validation over lr 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 2e-4, 3e-4, and for o1pruner and sft also 5e-4, 1e-3 (dpo × β 0.1, 0.5), same samples and budget";
        }
    }
}

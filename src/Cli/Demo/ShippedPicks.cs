namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// The settings <c>pruner tune</c> picked on the synthetic validation split for the built-in model (docs/benchmarks.md,
/// "Fair tuning"), shipped so that <c>pruner demo</c> needs no tuning of its own. <c>pruner demo --tuned FILE</c> uses a
/// fresh tuning.json instead.
/// </summary>
public static class ShippedPicks
{
    /// <summary>
    /// DPO at 1e-5: best validation AES of 1e-6, 3e-6, 1e-5, 3e-5 at β 0.1 (`pruner tune --methods dpo`, 2026-12-04, seed
    /// 1234, on the built-in model a cold demo trains: 72.2 % / 64.8 tokens against the reference's 72.1 % / 67.6; 3e-5
    /// fell to 62.3 %). Session 9 had picked 3e-5 on a built-in model cached from an older build, which gave 62.9 % on
    /// the test split of today's model. The other methods are not tuned yet and train at the demo's learning rate.
    /// </summary>
    public static IReadOnlyDictionary<string, double> LearningRates { get; } = new Dictionary<string, double> { ["dpo"] = 1e-5 };

    /// <summary>DPO's β (configuration key <c>Trainer:DpoBeta</c>); null keeps the trainer's default.</summary>
    public static double? DpoBeta => null;

    /// <summary>The grid and the picks, for the report's settings.</summary>
    public static string Description => "dpo lr 1e-5 (β 0.1), picked by pruner tune on synthetic-validation over 1e-6, 3e-6, 1e-5, 3e-5; the other methods not tuned (the demo's learning rate)";
}

namespace PrunerPipeline.Cli.Demo;

/// <summary>
/// The settings <c>pruner tune</c> picked on the synthetic validation split for the built-in model (docs/benchmarks.md,
/// "Fair tuning"), shipped so that <c>pruner demo</c> needs no tuning of its own. <c>pruner demo --tuned FILE</c> uses a
/// fresh tuning.json instead.
/// </summary>
public static class ShippedPicks
{
    public static IReadOnlyDictionary<string, double> LearningRates { get; } = new Dictionary<string, double>();

    /// <summary>DPO's β (configuration key <c>Trainer:DpoBeta</c>); null keeps the trainer's default.</summary>
    public static double? DpoBeta => null;

    /// <summary>The grid and the picks, for the report's settings.</summary>
    public static string Description => "not tuned: every method at the demo's learning rate";
}

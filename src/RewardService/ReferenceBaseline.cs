namespace PrunerPipeline.RewardService;

/// <summary>The reference model's statistics on one problem x: L̄_ref(x), mean length in tokens, and Ā_ref(x), mean accuracy, over its K samples.</summary>
public sealed record ReferenceBaseline(double MeanLength, double MeanAccuracy);

namespace PrunerPipeline.Cli.Demo;

/// <summary>What <c>pruner tune</c> tries: every learning rate for every trained method, and every β for DPO.</summary>
public sealed record TuningGrid(IReadOnlyList<PruningMethod> Methods, IReadOnlyList<double> LearningRates, IReadOnlyList<double> DpoBetas);

namespace PrunerPipeline.Cli.Demo;

/// <summary>One grid point of <c>pruner tune</c> and what it scored on the validation split (AES against the reference there).</summary>
public sealed record TuningTrial(string Method, double LearningRate, double? DpoBeta, double Accuracy, double MeanLength, double Aes);

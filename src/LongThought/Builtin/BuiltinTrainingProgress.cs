namespace PrunerPipeline.LongThought.Builtin;

/// <summary>Progress of the built-in model's training, reported after every optimiser step and every validation.</summary>
public sealed record BuiltinTrainingProgress(int Step, int TotalSteps, double LearningRate, double TrainLoss, double? ValidationLoss, double TokensPerSecond, TimeSpan Elapsed);

namespace PrunerPipeline.LongThought.Builtin;

/// <summary>
/// What training the built-in model achieved; also written next to the checkpoint as <c>builtin_training.json</c>.
/// Accuracy and mean length are measured by sampling (temperature 1) on validation problems. <paramref name="TaskVersion"/>
/// is the synthetic task version the model learned (absent in older summaries: 1).
/// </summary>
public sealed record BuiltinTrainingResult(
    long Parameters,
    int Steps,
    double Seconds,
    double TokensPerSecond,
    double FinalTrainLoss,
    double ValidationLoss,
    double? ValidationAccuracy,
    double? ValidationMeanLength,
    IReadOnlyList<ValidationPoint> ValidationLossCurve,
    int TaskVersion = 1);

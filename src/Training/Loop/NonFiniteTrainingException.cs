namespace PrunerPipeline.Training.Loop;

/// <summary>
/// A training step produced a NaN or infinite loss or gradient norm. Training stops before the optimizer applies the
/// step, so no checkpoint holds NaN weights; the last good checkpoint (if any) is left as it was. Retrying the same step
/// from the same data and seed gives the same numbers, so this is not a transient failure
/// (<see cref="NotFiniteNumberException"/> is never retried by the bus).
/// </summary>
public sealed class NonFiniteTrainingException(int step, double loss, double gradientNorm, int? lastGoodCheckpointStep)
    : NotFiniteNumberException(Describe(step, loss, gradientNorm, lastGoodCheckpointStep), double.IsFinite(loss) ? gradientNorm : loss)
{
    /// <summary>The 1-based step whose loss or gradient was not finite.</summary>
    public int Step { get; } = step;

    public double Loss { get; } = loss;

    public double GradientNorm { get; } = gradientNorm;

    /// <summary>The newest checkpoint written before the bad step (null: none yet, the base model is the last good one).</summary>
    public int? LastGoodCheckpointStep { get; } = lastGoodCheckpointStep;

    private static string Describe(int step, double loss, double gradientNorm, int? lastGood)
    {
        var what = double.IsFinite(loss) ? $"gradient norm {gradientNorm}" : $"loss {loss}";
        var kept = lastGood is { } s ? $"the last good checkpoint, step {s}, is kept" : "no checkpoint was written yet";
        return $"training step {step}: {what} is not finite (loss {loss}, gradient norm {gradientNorm}); training stopped before the update, {kept}";
    }
}

namespace PrunerPipeline.Training.Builtin;

/// <summary>Linear warm-up to the peak learning rate, then cosine decay to <c>peak × minRatio</c> at the last step.</summary>
public sealed record WarmupCosineSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps, double MinRatio = 0.1)
{
    public double At(int step)
    {
        if (step < WarmupSteps)
            return PeakLearningRate * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinRatio + (1 - MinRatio) * cosine);
    }
}

namespace PrunerPipeline.RolloutService;

/// <summary>Where the sampling of a shard stands after a batch.</summary>
public sealed record RolloutProgress(int ProblemsDone, int Problems, int SamplesDone, int Samples, long Tokens, TimeSpan Elapsed)
{
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? Tokens / Elapsed.TotalSeconds : 0;
}

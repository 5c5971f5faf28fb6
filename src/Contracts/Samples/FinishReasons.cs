namespace PrunerPipeline.Contracts.Samples;

/// <summary>The values of <see cref="RolloutSample.FinishReason"/>.</summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
}

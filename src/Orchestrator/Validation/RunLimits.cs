namespace PrunerPipeline.Orchestrator.Validation;

/// <summary>
/// Upper bounds that separate a big run from a mistake or an attack (K = 10^9 would fill the store and never finish).
/// They are generous for real work: the paper uses K = 16, a few thousand problems, 1–3 epochs.
/// </summary>
public static class RunLimits
{
    public const int MaxSamplesPerProblem = 1024;
    public const int MaxProblems = 100_000;
    public const long MaxTotalSamples = 10_000_000;
    public const int MaxEpochs = 100;
    public const int MaxBatchSize = 4096;
    public const int MaxNewTokens = 32_768;
    public const int MaxShardSize = 10_000;
    public const double MaxLambda = 100;
    public const double MaxTemperature = 5;
    public const int MaxEvaluationDatasets = 8;
    public const int MaxAdapterRank = 1024;
    public const int MaxRounds = 8;
    public const double MaxAdapterAlpha = 4096;
    public const int MaxOnlineSteps = 10_000;
    public const int MaxStalenessLimit = 8;
    public const double MaxClipEpsilonHigh = 10;
    public const double MaxKlCoefficient = 10;
}

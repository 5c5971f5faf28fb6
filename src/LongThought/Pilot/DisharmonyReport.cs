namespace PrunerPipeline.LongThought.Pilot;

/// <summary>
/// The length-disharmony pilot (O1-Pruner, Table 1 / Fig. 1): per-problem length quartiles and their averages.
/// <see cref="LengthOverShortestCorrect"/> is the mean sampled length divided by the mean of each problem's
/// shortest correct sample, over problems with at least one correct sample: how much longer the model thinks than
/// it needs to.
/// </summary>
public sealed record DisharmonyReport(
    string Model,
    string Dataset,
    int Problems,
    int SamplesPerProblem,
    double Temperature,
    int MaxNewTokens,
    double Accuracy,
    double MeanLength,
    double MeanShortestCorrectLength,
    double LengthOverShortestCorrect,
    int ProblemsWithACorrectSample,
    IReadOnlyList<double> QuartileAccuracy,
    IReadOnlyList<double> QuartileMeanLength,
    double TruncatedFraction,
    double Seconds,
    IReadOnlyList<ProblemQuartiles> PerProblem)
{
    /// <summary>Per difficulty level: accuracy of the samples that stopped after the first pass vs those that re-checked.</summary>
    public IReadOnlyList<RecheckGain> RecheckGain { get; init; } = [];
}

namespace PrunerPipeline.LongThought.Pilot;

/// <summary>
/// One problem's samples split into length quartiles (shortest first): accuracy and mean length per quartile,
/// plus the problem's overall accuracy, mean length and shortest correct length (null when none is correct).
/// </summary>
public sealed record ProblemQuartiles(
    string ProblemId,
    int? Level,
    int Samples,
    double Accuracy,
    double MeanLength,
    int? ShortestCorrectLength,
    IReadOnlyList<double> QuartileAccuracy,
    IReadOnlyList<double> QuartileMeanLength);

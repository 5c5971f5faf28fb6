using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.Hosting.Datasets;

namespace PrunerPipeline.Orchestrator.Problems;

/// <summary>
/// Problem ids from <see cref="DatasetCatalog"/>: a dataset with a <c>train</c> split can be trained on, one with a
/// <c>test</c> split evaluated on, and <c>synthetic-validation</c> (the synthetic validation split) for tuning. A dataset whose files are missing on this machine has no problems (validation says so).
/// </summary>
public sealed class DatasetCatalogProblemSource(ProblemLookup problemLookup, ILogger<DatasetCatalogProblemSource> logger) : IProblemSource
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> trainingIds = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> TrainingDatasets { get; } = DatasetCatalog.Names.Where(n => DatasetCatalog.SplitsOf(n).Contains("train")).ToList();

    public IReadOnlyCollection<string> EvaluationDatasets { get; } =
        [.. DatasetCatalog.Names.Where(n => DatasetCatalog.SplitsOf(n).Contains("test")), SyntheticTask.ValidationSet];

    public IReadOnlyList<string> TrainingProblemIds(string dataset) => trainingIds.GetOrAdd(dataset, name =>
    {
        try
        {
            return DatasetCatalog.Load(name, "train", root: problemLookup.Root).Select(p => p.Id).ToList();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
        {
            logger.LogWarning("Training split of {Dataset} is not available here: {Problem}", name, e.Message);
            return [];
        }
    });
}

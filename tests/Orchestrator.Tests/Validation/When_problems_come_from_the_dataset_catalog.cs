using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Datasets;
using PrunerPipeline.Hosting.Datasets;
using PrunerPipeline.Orchestrator.Problems;

namespace PrunerPipeline.Orchestrator.Tests.Validation;

public sealed class When_problems_come_from_the_dataset_catalog
{
    private readonly DatasetCatalogProblemSource source = new(new ProblemLookup(Options.Create(new DatasetOptions())), NullLogger<DatasetCatalogProblemSource>.Instance);

    [Fact]
    public void Only_datasets_with_a_train_split_can_be_trained_on_and_with_a_test_split_evaluated()
    {
        Assert.Equal(["gsm8k", "math", "synthetic"], source.TrainingDatasets.Order(StringComparer.Ordinal));
        Assert.Contains("math500", source.EvaluationDatasets);
        Assert.Contains("gaokao2023en", source.EvaluationDatasets);
        Assert.DoesNotContain("math", source.EvaluationDatasets);
        // The synthetic validation split, for tuning without touching the test split.
        Assert.Contains("synthetic-validation", source.EvaluationDatasets);
        Assert.DoesNotContain("synthetic-validation", source.TrainingDatasets);
    }

    [Fact]
    public void The_synthetic_training_split_has_distinct_ids()
    {
        var ids = source.TrainingProblemIds("synthetic");

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}

namespace PrunerPipeline.Orchestrator.Problems;

/// <summary>The problem ids of the datasets a run may name; the orchestrator shards training ids and validates names.</summary>
public interface IProblemSource
{
    /// <summary>Datasets a run can train on (their training split).</summary>
    IReadOnlyCollection<string> TrainingDatasets { get; }

    /// <summary>Datasets a run can be evaluated on (their test split).</summary>
    IReadOnlyCollection<string> EvaluationDatasets { get; }

    /// <summary>Ids of the training split of <paramref name="dataset"/>, in the dataset's order.</summary>
    IReadOnlyList<string> TrainingProblemIds(string dataset);
}

using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>
/// The held-out problems of each evaluation set: the synthetic test split, GSM8K test, MATH-500, GaoKao 2023 En — and
/// <c>synthetic-validation</c>, the synthetic validation split, on which <c>pruner tune</c> picks settings so the
/// test split stays unseen.
/// </summary>
public static class EvaluationSets
{
    public static IReadOnlyList<string> Names { get; } = ["synthetic", SyntheticTask.ValidationSet, "gsm8k", "math500", "gaokao2023en"];

    /// <param name="limit">Problems to take (0 = the whole set); always the first ones, so every model sees the same.</param>
    public static IReadOnlyList<Problem> Load(string dataset, int limit, string? datasetsRoot = null)
    {
        if (!Names.Contains(dataset))
        {
            throw new ArgumentException($"Unknown evaluation dataset '{dataset}'; allowed: {string.Join(", ", Names)}", nameof(dataset));
        }
        return dataset == SyntheticTask.ValidationSet
            ? DatasetCatalog.Load(SyntheticTask.Name, SyntheticTask.Validation, limit > 0 ? limit : null, datasetsRoot)
            : DatasetCatalog.Load(dataset, "test", limit > 0 ? limit : null, datasetsRoot);
    }
}

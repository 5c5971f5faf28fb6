using PrunerPipeline.Datasets;

namespace PrunerPipeline.EvalService.Evaluation;

/// <summary>The held-out problems of each evaluation set: the synthetic test split, GSM8K test, MATH-500, GaoKao 2023 En.</summary>
public static class EvaluationSets
{
    public static IReadOnlyList<string> Names { get; } = ["synthetic", "gsm8k", "math500", "gaokao2023en"];

    /// <param name="limit">Problems to take (0 = the whole set); always the first ones, so every model sees the same.</param>
    public static IReadOnlyList<Problem> Load(string dataset, int limit, string? datasetsRoot = null)
    {
        if (!Names.Contains(dataset))
        {
            throw new ArgumentException($"Unknown evaluation dataset '{dataset}'; allowed: {string.Join(", ", Names)}", nameof(dataset));
        }
        return DatasetCatalog.Load(dataset, "test", limit > 0 ? limit : null, datasetsRoot);
    }
}

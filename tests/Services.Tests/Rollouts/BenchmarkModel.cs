using PrunerPipeline.Datasets;
using PrunerPipeline.Datasets.Synthetic;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests.Rollouts;

/// <summary>The model and prompts the throughput benchmark samples: the built-in model on synthetic training problems.</summary>
internal static class BenchmarkModel
{
    /// <summary>The built-in model of the repository's default store (made by <c>pruner demo</c> or <c>pruner model train-builtin</c>).</summary>
    public static string Folder()
    {
        var folder = Path.Combine(RepositoryRoot.Find(), ".pruner", "store", "models", "builtin");
        if (!File.Exists(Path.Combine(folder, "config.json")))
            throw new InvalidOperationException($"no built-in model in {folder}: run `pruner model train-builtin` first or set PRUNER_BENCH_MODEL");
        return folder;
    }

    public static IReadOnlyList<IReadOnlyList<RolloutPromptSet>> Shards(int shards, int problemsPerShard) =>
        DatasetCatalog.Load(SyntheticTask.Name, SyntheticTask.Train, shards * problemsPerShard)
            .Select(p => new RolloutPromptSet(p.Id, RolloutPromptSet.Render(p.Question, "synthetic")))
            .Chunk(problemsPerShard)
            .Select(chunk => (IReadOnlyList<RolloutPromptSet>)chunk)
            .ToList();
}

using System.Collections.Concurrent;
using PrunerPipeline.Datasets.Jsonl;
using PrunerPipeline.Datasets.Synthetic;

namespace PrunerPipeline.Datasets;

/// <summary>
/// The datasets a run can name, by name and split: <c>synthetic</c> (train/validation/test, generated),
/// <c>gsm8k</c> (train/test), <c>math</c> (train), <c>math500</c> (test), <c>gaokao2023en</c> (test); the last four
/// are read from the shared JSONL files under <see cref="DatasetRoot"/>.
/// </summary>
public static class DatasetCatalog
{
    private static readonly IReadOnlyDictionary<string, string[]> FileSplits = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["gsm8k"] = ["train", "test"],
        ["math"] = ["train"],
        ["math500"] = ["test"],
        ["gaokao2023en"] = ["test"],
    };

    private static readonly ConcurrentDictionary<string, IReadOnlyList<Problem>> FileCache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = [SyntheticTask.Name, .. FileSplits.Keys];

    /// <summary>The splits a dataset has; throws a clear error for an unknown dataset name.</summary>
    public static IReadOnlyList<string> SplitsOf(string name) => name switch
    {
        SyntheticTask.Name => SyntheticTask.Splits,
        _ when FileSplits.TryGetValue(name, out var splits) => splits,
        _ => throw UnknownDataset(name),
    };

    /// <summary>
    /// Loads a split in its stable order. <paramref name="limit"/> takes the first problems only (for the synthetic
    /// train split it is the number of problems, default <see cref="SyntheticTask.DefaultTrainCount"/>).
    /// <paramref name="root"/> is <c>Datasets:Root</c> (null: discovered); <paramref name="synthetic"/> selects a
    /// non-default synthetic task.
    /// </summary>
    public static IReadOnlyList<Problem> Load(string name, string split, int? limit = null, string? root = null, SyntheticTaskOptions? synthetic = null)
    {
        if (limit is < 0)
            throw new ArgumentOutOfRangeException(nameof(limit), $"limit must be >= 0 (got {limit})");
        if (name == SyntheticTask.Name)
            return Task(synthetic).Load(split, limit);

        var splits = SplitsOf(name);
        if (!splits.Contains(split))
            throw new ArgumentException($"Unknown split '{split}' of dataset '{name}'; allowed: {string.Join(", ", splits)}", nameof(split));
        var all = ReadFile(Path.Combine(DatasetRoot.Resolve(root), name, split + ".jsonl"));
        return limit is { } n && n < all.Count ? all.Take(n).ToList() : all;
    }

    /// <summary>
    /// The problems with these ids (any split of the dataset), in the order asked.
    /// Throws <see cref="KeyNotFoundException"/> naming every id that the dataset does not have.
    /// </summary>
    public static IReadOnlyList<Problem> Find(string name, IEnumerable<string> ids, string? root = null, SyntheticTaskOptions? synthetic = null)
    {
        var wanted = ids.ToList();
        var found = new List<Problem>(wanted.Count);
        var missing = new List<string>();
        if (name == SyntheticTask.Name)
        {
            var task = Task(synthetic);
            foreach (var id in wanted)
            {
                if (task.Find(id) is { } problem) found.Add(problem);
                else missing.Add(id);
            }
        }
        else
        {
            var byId = SplitsOf(name)
                .SelectMany(split => Load(name, split, root: root))
                .ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var id in wanted)
            {
                if (byId.TryGetValue(id, out var problem)) found.Add(problem);
                else missing.Add(id);
            }
        }
        if (missing.Count > 0)
            throw new KeyNotFoundException(
                $"Dataset '{name}' has no problem with id {string.Join(", ", missing.Take(20).Select(id => $"'{id}'"))}{(missing.Count > 20 ? $" (and {missing.Count - 20} more)" : "")}");
        return found;
    }

    private static SyntheticTask Task(SyntheticTaskOptions? options) =>
        options is null || options == SyntheticTask.Default.Options ? SyntheticTask.Default : new SyntheticTask(options);

    private static IReadOnlyList<Problem> ReadFile(string path) =>
        FileCache.GetOrAdd(Path.GetFullPath(path), JsonlProblemReader.Read);

    private static ArgumentException UnknownDataset(string name) =>
        new($"Unknown dataset '{name}'; allowed: {string.Join(", ", Names)}", nameof(name));
}

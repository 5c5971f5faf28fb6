using Microsoft.Extensions.Options;
using PrunerPipeline.Datasets;

namespace PrunerPipeline.Hosting.Datasets;

/// <summary>
/// The problems a message names, read from the datasets under <see cref="DatasetOptions.Root"/>. Sampling and scoring
/// look a shard's problems up here, so both treat an unknown id the same way.
/// </summary>
public sealed class ProblemLookup(IOptions<DatasetOptions> options)
{
    /// <summary>The configured datasets folder (null: discovered).</summary>
    public string? Root => options.Value.Root;

    /// <summary>
    /// The problems with these ids, in the order asked. An unknown dataset or id never becomes known on a retry, so it
    /// is bad input: an <see cref="ArgumentException"/> that begins with <paramref name="asker"/> ("Shard 3 of run r1"),
    /// which the bus does not retry.
    /// </summary>
    public IReadOnlyList<Problem> Find(string dataset, IReadOnlyCollection<string> ids, string asker)
    {
        if (ids.Count == 0)
            throw new ArgumentException($"{asker} has no problem ids");
        try
        {
            return DatasetCatalog.Find(dataset, ids, Root);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArgumentException($"{asker}: {e.Message}", e);
        }
    }
}

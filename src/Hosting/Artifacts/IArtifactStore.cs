namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>
/// Blob storage for everything bulk: samples, rewards, checkpoints, reports. Names are <c>/</c>-separated relative
/// paths checked by <see cref="ArtifactName.Validate"/>. Writes are atomic: a reader sees the old blob or the new one,
/// never half of it, so a redelivered message that rewrites the same deterministic name never duplicates work.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Writes (or overwrites) a blob atomically: the content goes to a temporary name and is then committed.</summary>
    Task WriteAsync(string name, Stream content, CancellationToken ct);

    /// <summary>Opens a blob for reading; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken ct);

    Task<bool> ExistsAsync(string name, CancellationToken ct);

    /// <summary>Every blob whose name starts with <paramref name="prefix"/> (empty = all), in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Deletes a blob; deleting an absent blob is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken ct);
}

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

    /// <summary>
    /// Creates a blob only if no blob of that name exists, atomically with respect to other creators (a conditional
    /// create: If-None-Match: * on Azure, no-overwrite rename on the file system). True when this call created it;
    /// false when the blob already existed (its content is left unchanged). Two racing creators: exactly one wins.
    /// </summary>
    Task<bool> CreateAsync(string name, Stream content, CancellationToken ct);

    /// <summary>Opens a blob for reading; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken ct);

    Task<bool> ExistsAsync(string name, CancellationToken ct);

    /// <summary>Every blob whose name starts with <paramref name="prefix"/> (empty = all), in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct);

    /// <summary>Deletes a blob; deleting an absent blob is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken ct);
}

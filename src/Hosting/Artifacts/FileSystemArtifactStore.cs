using System.Runtime.CompilerServices;

namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>
/// The embedded default: blobs are files under a root folder (<c>./.pruner/store</c> unless <c>Artifacts:Root</c> says otherwise).
/// Atomic writes: the content goes to a hidden temporary file next to the target, then a rename commits it.
/// </summary>
public sealed class FileSystemArtifactStore : IArtifactStore
{
    private const string TemporaryMarker = ".tmp-";
    private readonly Lock createGate = new();

    public FileSystemArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public Task WriteAsync(string name, Stream content, CancellationToken ct) =>
        CommitAsync(name, content, (temporary, path) =>
        {
            File.Move(temporary, path, overwrite: true);
            return true;
        }, ct);

    public Task<bool> CreateAsync(string name, Stream content, CancellationToken ct) =>
        CommitAsync(name, content, (temporary, path) =>
        {
            // The lock makes exists-then-move one step for every creator in this process (the embedded pipeline's
            // concurrent start-pruning-run consumers); a move without overwrite also refuses an existing target.
            lock (createGate)
            {
                if (File.Exists(path))
                {
                    return false;
                }
                try
                {
                    File.Move(temporary, path, overwrite: false);
                    return true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
            }
        }, ct);

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file beside the blob, then lets <paramref name="commit"/> move it
    /// into place; the temporary file never outlives the call.
    /// </summary>
    private async Task<bool> CommitAsync(string name, Stream content, Func<string, string, bool> commit, CancellationToken ct)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Unique temporary name per writer, so two redeliveries racing on the same blob never share a half-written file.
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $"{TemporaryMarker}{Path.GetFileName(path)}-{Guid.NewGuid():N}");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            return commit(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        var path = PathOf(name);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string name, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(name)));

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArtifactName.ValidatePrefix(prefix);
        // Start at the deepest folder the prefix names, so listing one run does not walk the whole store.
        var folderPart = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        var start = folderPart.Length == 0 ? Root : Path.Combine(Root, folderPart.Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            yield break;
        }
        var names = Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Where(path => !Path.GetFileName(path).StartsWith(TemporaryMarker, StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            ct.ThrowIfCancellationRequested();
            yield return name;
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string name, CancellationToken ct)
    {
        var path = PathOf(name);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        return Task.CompletedTask;
    }

    private string PathOf(string name)
    {
        ArtifactName.Validate(name);
        var path = Path.GetFullPath(Path.Combine(Root, name.Replace('/', Path.DirectorySeparatorChar)));
        // Validation already forbids '..'; this is the belt to its braces.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact name '{name}' escapes the store root", nameof(name));
        }
        return path;
    }
}

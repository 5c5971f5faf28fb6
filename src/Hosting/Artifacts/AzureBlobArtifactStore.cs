using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace PrunerPipeline.Hosting.Artifacts;

/// <summary>
/// Distributed mode: blobs in one private Azure Blob Storage container (Azurite locally).
/// Atomic writes come from the block-blob protocol: blocks are staged under the blob and only the final commit of the
/// block list makes them visible, so readers see the previous version until the upload has fully succeeded.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient container;
    private readonly SemaphoreSlim createContainer = new(1, 1);
    private volatile bool containerExists;

    public AzureBlobArtifactStore(BlobContainerClient container)
    {
        this.container = container;
    }

    public AzureBlobArtifactStore(string connectionString, string containerName)
        : this(new BlobContainerClient(connectionString, containerName))
    {
    }

    public BlobContainerClient Container => container;

    public async Task WriteAsync(string name, Stream content, CancellationToken ct)
    {
        ArtifactName.Validate(name);
        await EnsureContainerAsync(ct);
        await container.GetBlobClient(name).UploadAsync(content, overwrite: true, ct);
    }

    public async Task<bool> CreateAsync(string name, Stream content, CancellationToken ct)
    {
        ArtifactName.Validate(name);
        await EnsureContainerAsync(ct);
        try
        {
            // If-None-Match: * makes the service refuse the commit when the blob exists: two racing creators, one winner.
            await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken ct)
    {
        ArtifactName.Validate(name);
        try
        {
            // The SDK stream reads in chunks on demand, so a large checkpoint is never held in memory whole.
            return await container.GetBlobClient(name).OpenReadAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken ct)
    {
        ArtifactName.Validate(name);
        try
        {
            return await container.GetBlobClient(name).ExistsAsync(ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        ArtifactName.ValidatePrefix(prefix);
        if (!await container.ExistsAsync(ct))
        {
            yield break;
        }
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, ct))
        {
            names.Add(item.Name);
        }
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            yield return name;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        ArtifactName.Validate(name);
        try
        {
            await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (containerExists)
        {
            return;
        }
        await createContainer.WaitAsync(ct);
        try
        {
            if (!containerExists)
            {
                // Private: no anonymous read access, whatever the account default is.
                await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: ct);
                containerExists = true;
            }
        }
        finally
        {
            createContainer.Release();
        }
    }
}

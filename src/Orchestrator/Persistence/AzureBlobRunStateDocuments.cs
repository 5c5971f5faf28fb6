using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MassTransit;

namespace PrunerPipeline.Orchestrator.Persistence;

/// <summary>
/// Distributed mode: saga documents as blobs <c>sagas/pruning-run/{correlationId}.json</c> in the artifact container, so a
/// restarted orchestrator continues every run where it was. Blob ETags give the optimistic concurrency:
/// create = If-None-Match *, replace and delete = If-Match the ETag that was read.
/// </summary>
public sealed class AzureBlobRunStateDocuments(BlobContainerClient container) : IRunStateDocuments
{
    public const string Prefix = Hosting.Artifacts.ArtifactLayout.SagaDocuments;

    private volatile bool containerExists;

    public async Task<RunStateDocument?> LoadAsync(Guid correlationId, CancellationToken ct)
    {
        try
        {
            var result = await Blob(correlationId).DownloadContentAsync(ct);
            return new RunStateDocument(result.Value.Content.ToString(), result.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<string> CreateAsync(Guid correlationId, string json, CancellationToken ct)
    {
        await EnsureContainerAsync(ct);
        return await UploadAsync(correlationId, json, new BlobRequestConditions { IfNoneMatch = ETag.All }, ct);
    }

    public Task<string> ReplaceAsync(Guid correlationId, string json, string etag, CancellationToken ct) =>
        UploadAsync(correlationId, json, new BlobRequestConditions { IfMatch = new ETag(etag) }, ct);

    public async Task DeleteAsync(Guid correlationId, string etag, CancellationToken ct)
    {
        try
        {
            await Blob(correlationId).DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new ConcurrencyException($"Run state {correlationId} changed since it was read", typeof(RunStateDocument), correlationId, e);
        }
    }

    public async IAsyncEnumerable<Guid> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (!await container.ExistsAsync(ct))
        {
            yield break;
        }
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix }, ct))
        {
            var name = blob.Name[Prefix.Length..];
            if (name.EndsWith(".json", StringComparison.Ordinal) && Guid.TryParseExact(name[..^".json".Length], "N", out var id))
            {
                yield return id;
            }
        }
    }

    private async Task<string> UploadAsync(Guid correlationId, string json, BlobRequestConditions conditions, CancellationToken ct)
    {
        try
        {
            var response = await Blob(correlationId).UploadAsync(BinaryData.FromString(json),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new ConcurrencyException($"Run state {correlationId} was written by someone else ({e.ErrorCode})", typeof(RunStateDocument), correlationId, e);
        }
    }

    private BlobClient Blob(Guid correlationId) => container.GetBlobClient($"{Prefix}{correlationId:N}.json");

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (!containerExists)
        {
            await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: ct);
            containerExists = true;
        }
    }
}

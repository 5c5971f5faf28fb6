namespace PrunerPipeline.Hosting.Tests.Artifacts;

/// <summary>The same contract against a real Azurite started for this class.</summary>
public sealed class When_artifacts_live_in_azure_blob_storage(AzuriteFixture azurite) : ArtifactStoreContract, IClassFixture<AzuriteFixture>
{
    protected override Task<IArtifactStore> CreateStoreAsync()
    {
        Skip.IfNot(azurite.Server.IsAvailable, $"Azurite unavailable: {azurite.Server.UnavailableReason}");
        // A container per test keeps tests independent on one emulator.
        return Task.FromResult<IArtifactStore>(new AzureBlobArtifactStore(azurite.Server.ConnectionString, $"t{Guid.NewGuid():N}"));
    }

    [SkippableFact]
    public async Task The_container_is_created_private()
    {
        var store = (AzureBlobArtifactStore)await CreateStoreAsync();
        await store.WriteTextAsync("runs/r/run.json", "{}", CancellationToken.None);

        var properties = await store.Container.GetPropertiesAsync();

        Assert.Equal(Azure.Storage.Blobs.Models.PublicAccessType.None, properties.Value.PublicAccess);
    }
}

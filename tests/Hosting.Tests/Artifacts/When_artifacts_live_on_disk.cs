namespace PrunerPipeline.Hosting.Tests.Artifacts;

public sealed class When_artifacts_live_on_disk : ArtifactStoreContract, IDisposable
{
    private readonly TemporaryFolder root = new("fs-store");

    protected override Task<IArtifactStore> CreateStoreAsync() =>
        Task.FromResult<IArtifactStore>(new FileSystemArtifactStore(Path.Combine(root.Path, Guid.NewGuid().ToString("N"))));

    [Fact]
    public async Task No_temporary_files_remain_after_writes()
    {
        var store = new FileSystemArtifactStore(root.Path);
        await store.WriteTextAsync("runs/r/a.json", "1", CancellationToken.None);
        await store.WriteTextAsync("runs/r/a.json", "2", CancellationToken.None);

        Assert.Equal(["a.json"], Directory.GetFiles(Path.Combine(root.Path, "runs", "r")).Select(Path.GetFileName));
    }

    public void Dispose() => root.Dispose();
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrunerPipeline.Hosting.Models;
using PrunerPipeline.Hosting.Tests.Artifacts;

namespace PrunerPipeline.Hosting.Tests.Models;

public sealed class When_a_model_reference_is_resolved(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TemporaryFolder temp = new("models");
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_local_folder_is_used_as_is()
    {
        var folder = Path.Combine(temp.Path, "my-model");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), "{}");
        var locator = Locator(new FileSystemArtifactStore(Path.Combine(temp.Path, "store")));
        locator.AllowRoot(temp.Path);

        Assert.Equal(folder, await locator.ResolveAsync(folder, None));
    }

    [Fact]
    public async Task Builtin_means_models_builtin_in_the_file_store()
    {
        var store = new FileSystemArtifactStore(Path.Combine(temp.Path, "store"));
        await store.WriteTextAsync("models/builtin/config.json", "{}", None);

        var folder = await Locator(store).ResolveAsync("builtin", None);

        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(folder, "config.json")));
    }

    [Fact]
    public async Task A_missing_model_is_a_clear_error()
    {
        var locator = Locator(new FileSystemArtifactStore(Path.Combine(temp.Path, "store")));

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => locator.ResolveAsync("runs/x/checkpoints/step-000001", None));
        Assert.Contains("runs/x/checkpoints/step-000001", error.Message);
    }

    [SkippableFact]
    public async Task A_remote_checkpoint_is_downloaded_once_into_the_cache()
    {
        Skip.IfNot(azurite.Server.IsAvailable, $"Azurite unavailable: {azurite.Server.UnavailableReason}");
        var store = new AzureBlobArtifactStore(azurite.Server.ConnectionString, $"m{Guid.NewGuid():N}");
        await store.WriteTextAsync("runs/r/checkpoints/step-000002/config.json", "{\"a\":1}", None);
        await store.WriteTextAsync("runs/r/checkpoints/step-000002/model.safetensors", "weights", None);
        var locator = Locator(store);

        var first = await locator.ResolveAsync("runs/r/checkpoints/step-000002", None);
        // A changed blob is not fetched again: checkpoints are immutable once committed, the cache is authoritative.
        await store.WriteTextAsync("runs/r/checkpoints/step-000002/model.safetensors", "changed", None);
        var second = await locator.ResolveAsync("runs/r/checkpoints/step-000002/", None);

        Assert.Equal(first, second);
        Assert.StartsWith(temp.Path, first);
        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(second, "model.safetensors")));
    }

    [SkippableFact]
    public async Task Workers_sharing_a_cache_never_delete_a_copy_another_one_is_using()
    {
        Skip.IfNot(azurite.Server.IsAvailable, $"Azurite unavailable: {azurite.Server.UnavailableReason}");
        var store = new AzureBlobArtifactStore(azurite.Server.ConnectionString, $"m{Guid.NewGuid():N}");
        await store.WriteTextAsync("models/builtin/config.json", "{}", None);
        await store.WriteTextAsync("models/builtin/model.safetensors", "weights", None);
        // One locator per worker process (each has its own lock), all on one machine's cache folder.
        var workers = Enumerable.Range(0, 6).Select(_ => Locator(store)).ToList();
        var first = await workers[0].ResolveAsync("builtin", None);
        var weights = Path.Combine(first, "model.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);

        var folders = await Task.WhenAll(workers.Select(w => Task.Run(() => w.ResolveAsync("builtin", None))));

        Assert.All(folders, folder => Assert.Equal(first, folder));
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(first)!, "*staging*"));
    }

    [SkippableFact]
    public async Task Workers_racing_on_an_empty_cache_all_end_with_a_complete_copy()
    {
        Skip.IfNot(azurite.Server.IsAvailable, $"Azurite unavailable: {azurite.Server.UnavailableReason}");
        var store = new AzureBlobArtifactStore(azurite.Server.ConnectionString, $"m{Guid.NewGuid():N}");
        await store.WriteTextAsync("models/builtin/config.json", "{}", None);
        await store.WriteTextAsync("models/builtin/model.safetensors", "weights", None);
        var workers = Enumerable.Range(0, 6).Select(_ => Locator(store)).ToList();

        var folders = await Task.WhenAll(workers.Select(w => Task.Run(async () =>
        {
            var folder = await w.ResolveAsync("builtin", None);
            // What a worker does next: read the weights. Another worker must not have deleted them meanwhile.
            return (folder, await File.ReadAllTextAsync(Path.Combine(folder, "model.safetensors")));
        })));

        Assert.All(folders, f => Assert.Equal("weights", f.Item2));
        Assert.Single(folders.Select(f => f.folder).Distinct());
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folders[0].folder)!, "*staging*"));
    }

    private ModelLocator Locator(IArtifactStore store) =>
        new(store, Options.Create(new ModelCacheOptions { CacheRoot = Path.Combine(temp.Path, "cache") }), NullLogger<ModelLocator>.Instance);

    public void Dispose() => temp.Dispose();
}

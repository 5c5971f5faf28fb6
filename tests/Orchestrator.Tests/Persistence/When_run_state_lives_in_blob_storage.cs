using PrunerPipeline.Orchestrator.Persistence;

namespace PrunerPipeline.Orchestrator.Tests.Persistence;

public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class When_run_state_lives_in_blob_storage(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private AzureBlobRunStateDocuments Documents(string container)
    {
        Skip.IfNot(azurite.Server.IsAvailable, $"Azurite unavailable: {azurite.Server.UnavailableReason}");
        return new AzureBlobRunStateDocuments(new Azure.Storage.Blobs.BlobContainerClient(azurite.Server.ConnectionString, container));
    }

    [SkippableFact]
    public async Task A_write_based_on_a_stale_version_is_refused()
    {
        var documents = Documents($"s{Guid.NewGuid():N}");
        var id = Guid.NewGuid();
        var first = await documents.CreateAsync(id, "{\"v\":1}", CancellationToken.None);
        var second = await documents.ReplaceAsync(id, "{\"v\":2}", first, CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyException>(() => documents.ReplaceAsync(id, "{\"v\":3}", first, CancellationToken.None));
        await Assert.ThrowsAsync<ConcurrencyException>(() => documents.CreateAsync(id, "{\"v\":0}", CancellationToken.None));
        var stored = await documents.LoadAsync(id, CancellationToken.None);
        Assert.Equal("{\"v\":2}", stored!.Json);
        Assert.Equal(second, stored.ETag);
    }

    [SkippableFact]
    public async Task A_restarted_orchestrator_continues_the_run_where_it_was()
    {
        var container = $"s{Guid.NewGuid():N}";
        await using (var before = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeRolloutWorker>(), Documents(container)))
        {
            await before.Harness.Bus.Publish(new StartPruningRun { RunId = "survivor", SamplesPerProblem = 2, ShardSize = 5 });
            Assert.Equal("Scoring", (await before.WaitForStateAsync("survivor", "Scoring")).State);
        }

        // A new process: fresh bus and memory, the same blob container. The reward service catches up now.
        await using var after = await OrchestratorHarness.StartAsync(x => { }, Documents(container));
        var status = await after.StatusAsync("survivor");
        Assert.Equal("Scoring", status.State);
        Assert.Equal(2, status.ShardsTotal);
        Assert.Equal(2, status.ShardsSampled);

        foreach (var shard in new[] { 0, 1 })
        {
            await after.Harness.Bus.Publish(new RewardsScored { RunId = "survivor", ShardIndex = shard, RewardsBlob = $"runs/survivor/rewards/shard-{shard:D4}.jsonl", Samples = 10, Accuracy = 1, MeanLength = 1, RewardMean = 0, RewardStd = 1 });
        }
        Assert.Equal("Training", (await after.WaitForStateAsync("survivor", "Training")).State);
    }
}

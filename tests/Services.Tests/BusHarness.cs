namespace PrunerPipeline.Services.Tests;

/// <summary>
/// What every service harness here shares: consumers on MassTransit's test harness over an on-disk artifact store in
/// a temporary folder; disposing stops the bus, then removes the folder.
/// </summary>
internal abstract class BusHarness : IAsyncDisposable
{
    protected BusHarness(TemporaryFolder folder, ServiceProvider provider)
    {
        Folder = folder;
        Provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Store = provider.GetRequiredService<IArtifactStore>();
    }

    public ITestHarness Harness { get; }

    public IArtifactStore Store { get; }

    protected TemporaryFolder Folder { get; }

    protected ServiceProvider Provider { get; }

    /// <summary>Writes the run record the orchestrator writes on acceptance: consumers drop commands for runs without one.</summary>
    public Task AcceptRunAsync(string runId) =>
        Store.WriteJsonAsync(ArtifactLayout.RunSpec(runId), new StartPruningRun { RunId = runId }, CancellationToken.None);

    public Task<List<T>> PublishedAsync<T>(int count, Func<T, bool>? filter = null)
        where T : class => Harness.PublishedAsync(count, filter);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
        Folder.Dispose();
    }
}

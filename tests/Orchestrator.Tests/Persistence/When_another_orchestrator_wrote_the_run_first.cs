using PrunerPipeline.Orchestrator.Persistence;

namespace PrunerPipeline.Orchestrator.Tests.Persistence;

public sealed class When_another_orchestrator_wrote_the_run_first
{
    [Fact]
    public async Task The_event_is_retried_on_the_newer_state_and_nothing_is_lost()
    {
        var documents = new InterferingDocuments(new InMemoryRunStateDocuments());
        await using var h = await OrchestratorHarness.StartAsync(x => x.AddConsumer<FakeRolloutWorker>(), documents);

        await h.Harness.Bus.Publish(new StartPruningRun { RunId = "contended", SamplesPerProblem = 2, TrainingProblems = 10, ShardSize = 5 });

        var status = await h.WaitForStateAsync("contended", "Scoring");
        Assert.Equal("Scoring", status.State);
        Assert.Equal(2, status.ShardsSampled);
        Assert.True(documents.Interferences >= 1, "no write conflict was provoked");
        Assert.Equal(2, h.Harness.Published.Select<GenerateRollouts>().Count());
    }

    /// <summary>Before the first update of each run, writes the stored state again, as a second orchestrator would.</summary>
    private sealed class InterferingDocuments(IRunStateDocuments inner) : IRunStateDocuments
    {
        private readonly HashSet<Guid> interfered = [];

        public int Interferences { get; private set; }

        public Task<RunStateDocument?> LoadAsync(Guid correlationId, CancellationToken ct) => inner.LoadAsync(correlationId, ct);

        public Task<string> CreateAsync(Guid correlationId, string json, CancellationToken ct) => inner.CreateAsync(correlationId, json, ct);

        public async Task<string> ReplaceAsync(Guid correlationId, string json, string etag, CancellationToken ct)
        {
            if (interfered.Add(correlationId))
            {
                var current = await inner.LoadAsync(correlationId, ct);
                await inner.ReplaceAsync(correlationId, current!.Json, current.ETag, ct);
                Interferences++;
            }
            return await inner.ReplaceAsync(correlationId, json, etag, ct);
        }

        public Task DeleteAsync(Guid correlationId, string etag, CancellationToken ct) => inner.DeleteAsync(correlationId, etag, ct);

        public IAsyncEnumerable<Guid> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
    }
}

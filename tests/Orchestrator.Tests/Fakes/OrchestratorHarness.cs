using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrunerPipeline.Hosting;
using PrunerPipeline.Orchestrator.Deadlines;
using PrunerPipeline.Orchestrator.Persistence;
using PrunerPipeline.Orchestrator.Problems;

namespace PrunerPipeline.Orchestrator.Tests.Fakes;

/// <summary>The orchestrator on MassTransit's in-memory test harness, with whichever fake services a scenario needs.</summary>
public sealed class OrchestratorHarness : IAsyncDisposable
{
    private readonly TemporaryFolder folder;
    private readonly ServiceProvider provider;

    private OrchestratorHarness(ServiceProvider provider, IArtifactStore store, TemporaryFolder folder)
    {
        this.provider = provider;
        this.folder = folder;
        Store = store;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public IArtifactStore Store { get; }

    /// <summary>The orchestrator's re-drive of unfinished runs (what its monitor calls on start-up and at every interval).</summary>
    public StalledRuns StalledRuns => provider.GetRequiredService<StalledRuns>();

    /// <param name="settings">Configuration, e.g. <c>Orchestrator:Deadlines:*</c> (defaults otherwise).</param>
    public static async Task<OrchestratorHarness> StartAsync(Action<IBusRegistrationConfigurator> addFakes, IRunStateDocuments? documents = null, int syntheticProblems = 10,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = new TemporaryFolder("orchestrator-store");
        var store = new FileSystemArtifactStore(folder.Path);
        await store.WriteTextAsync("models/builtin/config.json", "{}", CancellationToken.None);

        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IArtifactStore>(store);
        services.AddSingleton<IProblemSource>(new FakeProblemSource(syntheticProblems));
        services.AddPrunerArtifacts(configuration);
        if (documents is not null)
        {
            services.AddSingleton(documents);
        }
        services.AddOrchestrator();
        services.AddMassTransitTestHarness(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddOrchestratorConsumers();
            addFakes(x);
        });
        var provider = services.BuildServiceProvider(true);
        // MassTransit keeps its log context in an async-local: a harness started after another one in the same test
        // (an orchestrator "restart") would otherwise log through the first one's disposed logger factory.
        LogContext.ConfigureCurrentLogContext(provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
        var harness = new OrchestratorHarness(provider, store, folder);
        harness.Harness.TestTimeout = TimeSpan.FromSeconds(20);
        harness.Harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Every <typeparamref name="T"/> published so far (matching <paramref name="where"/>), in order.</summary>
    public List<T> All<T>(Func<T, bool>? where = null)
        where T : class =>
        Harness.Published.Select<T>().Select(m => m.Context.Message).Where(where ?? (_ => true)).ToList();

    public async Task<RunStatus> StatusAsync(string runId)
    {
        var client = Harness.GetRequestClient<GetRunStatus>();
        var response = await client.GetResponse<RunStatus>(new GetRunStatus { RunId = runId });
        return response.Message;
    }

    /// <summary>
    /// The first published <typeparamref name="T"/>, polled until the harness's test timeout. Published.Any and
    /// Published.SelectAsync both give up at the harness's first idle moment, which on a loaded machine can come before
    /// the message is even consumed (seen in CI: SelectAsync returned nothing after 1 s).
    /// </summary>
    public async Task<T> PublishedAsync<T>() where T : class
    {
        var deadline = DateTime.UtcNow + Harness.TestTimeout;
        while (true)
        {
            if (Harness.Published.Select<T>().FirstOrDefault() is { } published)
            {
                return published.Context.Message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no {typeof(T).Name} was published within {Harness.TestTimeout}");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls the saga's answer until it reaches <paramref name="state"/> (messages are processed asynchronously).</summary>
    public async Task<RunStatus> WaitForStateAsync(string runId, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        RunStatus status;
        do
        {
            status = await StatusAsync(runId);
            if (status.State == state)
            {
                return status;
            }
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
        folder.Dispose();
    }
}

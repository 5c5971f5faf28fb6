using System.Text.Json;
using PrunerPipeline.TrainerService;
using PrunerPipeline.TrainerService.Jobs;
using PrunerPipeline.TrainerService.Policies;

namespace PrunerPipeline.Services.Tests.Trainer;

/// <summary>One trainer "process": the trainer consumers on a MassTransit test harness over a file-system artifact store.</summary>
internal sealed class TrainerHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private TrainerHarness(ServiceProvider provider)
    {
        this.provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Store = provider.GetRequiredService<IArtifactStore>();
        Jobs = provider.GetRequiredService<TrainingJobs>();
    }

    public ITestHarness Harness { get; }

    public IArtifactStore Store { get; }

    public TrainingJobs Jobs { get; }

    public static async Task<TrainerHarness> StartAsync(string storeRoot, string workRoot, IPolicyLoader loader, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Artifacts:Provider"] = "filesystem",
            ["Artifacts:Root"] = storeRoot,
            ["Trainer:WorkRoot"] = workRoot,
            ["Trainer:ProgressIntervalSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPrunerArtifacts(configuration);
        services.AddSingleton<IPolicyLoader>(loader);
        // MassTransit keeps a process-wide log context: a factory owned by one harness's provider would be disposed under the next.
        services.AddSingleton(SilentLogging.Factory);
        services.AddTrainerService();
        services.AddMassTransitTestHarness(x => x.AddTrainerConsumers());
        var provider = services.BuildServiceProvider(validateScopes: true);
        var harness = new TrainerHarness(provider);
        harness.Harness.TestTimeout = TimeSpan.FromSeconds(60);
        // A training step publishes nothing while it computes; the default inactivity window would end the waits early.
        harness.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(5);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Writes run.json, one rewards shard and the base model (models/builtin) into the store; returns the TrainPolicy to send.</summary>
    public static async Task<TrainPolicy> SeedRunAsync(IArtifactStore store, StartPruningRun run, string baseModelFolder)
    {
        await store.WriteJsonAsync(ArtifactLayout.RunSpec(run.RunId), run, CancellationToken.None);
        var random = new Random(run.Seed);
        var samples = new List<ScoredSample>();
        for (var p = 0; p < 8; p++)
        {
            for (var k = 0; k < 4; k++)
            {
                var length = 2 + random.Next(8);
                var correct = random.NextDouble() < 0.7;
                samples.Add(When_a_training_plan_is_made.Scored($"p{p}", k, length, correct, 6.0 / length - 1 + 2 * ((correct ? 1 : 0) - 0.7)) with
                {
                    TokenIds = Enumerable.Range(0, length).Select(_ => random.Next(BigramPolicy.Vocabulary)).ToArray(),
                    PromptTokenIds = [1, 2 + p],
                });
            }
        }
        var shard = ArtifactLayout.Rewards(run.RunId, 0);
        await store.WriteAsync(shard, new MemoryStream(SampleJsonLines.Serialize(samples)), CancellationToken.None);
        await store.UploadFolderAsync("models/builtin", baseModelFolder, CancellationToken.None);
        return new TrainPolicy { RunId = run.RunId, Run = run, RewardsBlobs = [shard] };
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
    }
}

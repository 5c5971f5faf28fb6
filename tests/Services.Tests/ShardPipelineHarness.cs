using PrunerPipeline.Hosting.Messaging;
using PrunerPipeline.RewardService;
using PrunerPipeline.RolloutService;

namespace PrunerPipeline.Services.Tests;

/// <summary>
/// The rollout and/or reward consumers on MassTransit's test harness, over an on-disk artifact store in a temporary
/// folder, with the same retry policy as the real hosts.
/// </summary>
internal sealed class ShardPipelineHarness : BusHarness
{
    private ShardPipelineHarness(TemporaryFolder folder, ServiceProvider provider)
        : base(folder, provider)
    {
    }

    public string StoreRoot => Path.Combine(Folder.Path, "store");

    /// <param name="sampler">Samples in place of the reference model (TorchSharp) when given.</param>
    public static async Task<ShardPipelineHarness> StartAsync(bool rollouts, bool rewards, int batchSize = 4, IRolloutSampler? sampler = null)
    {
        var folder = new TemporaryFolder("shards");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Artifacts:Root"] = Path.Combine(folder.Path, "store"),
            ["Models:CacheRoot"] = Path.Combine(folder.Path, "models"),
            // The tiny reference model lives in the temp folder: local model references must resolve inside an allowed root.
            ["Models:AllowedRoots:0"] = Path.GetTempPath(),
            ["Rollouts:BatchSize"] = batchSize.ToString(),
        }).Build();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddPrunerArtifacts(configuration);
        if (rollouts)
        {
            if (sampler is not null)
            {
                services.AddSingleton(sampler);
            }

            services.AddRolloutService();
        }

        if (rewards)
        {
            services.AddRewardService();
        }

        services.AddMassTransitTestHarness(bus =>
        {
            if (rollouts)
            {
                bus.AddRolloutConsumers();
            }

            if (rewards)
            {
                bus.AddRewardConsumers();
            }

            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UsePrunerRetry(new BusOptions { RetryLimit = 2, RetryMinIntervalMilliseconds = 50, RetryMaxIntervalMilliseconds = 200 });
                cfg.ConfigureEndpoints(context);
            });
        });

        var provider = services.BuildServiceProvider(validateScopes: true);
        var pipeline = new ShardPipelineHarness(folder, provider);
        pipeline.Harness.TestTimeout = TimeSpan.FromMinutes(2);
        // Sampling a shard can be quiet on the bus for seconds; the harness must not call that "done".
        pipeline.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(30);
        await pipeline.Harness.Start();
        return pipeline;
    }

    /// <summary>An (empty) local folder inside the harness's temporary folder, e.g. to stand for a model.</summary>
    /// <summary>A model folder for a scripted sampler: only the config.json that ModelLocator looks for.</summary>
    public string CreateFolder(string name)
    {
        var created = Directory.CreateDirectory(Path.Combine(Folder.Path, name)).FullName;
        File.WriteAllText(Path.Combine(created, "config.json"), "{}");
        return created;
    }


    public async Task<List<T>> ReadShardAsync<T>(string blob)
    {
        await using var stream = await Store.OpenReadAsync(blob, CancellationToken.None)
            ?? throw new FileNotFoundException($"blob {blob} is missing");
        return await SampleJsonLines.ReadAsync<T>(stream, blob, CancellationToken.None);
    }

    public async Task<List<string>> ListAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var name in Store.ListAsync(prefix, CancellationToken.None))
        {
            names.Add(name);
        }

        return names;
    }
}

using PrunerPipeline.Datasets;
using PrunerPipeline.EvalService;
using PrunerPipeline.EvalService.Evaluation;
using PrunerPipeline.Hosting.Messaging;

namespace PrunerPipeline.Services.Tests.Eval;

/// <summary>
/// The evaluation consumer on MassTransit's test harness over an on-disk store, with a scripted generator in place of
/// the TorchSharp model. The base model lives at <c>models/long</c>; checkpoints are folders holding a config.json.
/// </summary>
internal sealed class EvalHarness : BusHarness
{
    public const string BaseModel = "models/long";
    public const int Problems = 12;

    private EvalHarness(TemporaryFolder folder, ServiceProvider provider, ScriptedSolutionGenerator generator)
        : base(folder, provider)
    {
        Generator = generator;
    }

    public ScriptedSolutionGenerator Generator { get; }

    public static IReadOnlyList<Problem> TestProblems() => EvaluationSets.Load("synthetic", Problems);

    public static async Task<EvalHarness> StartAsync(bool evaluateIntermediate = true)
    {
        var folder = new TemporaryFolder("eval");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Artifacts:Root"] = Path.Combine(folder.Path, "store"),
            ["Models:CacheRoot"] = Path.Combine(folder.Path, "models"),
            ["Eval:EvaluateIntermediateCheckpoints"] = evaluateIntermediate.ToString(),
        }).Build();
        var generator = new ScriptedSolutionGenerator(TestProblems());
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddPrunerArtifacts(configuration)
            .AddSingleton<ISolutionGenerator>(generator)
            .AddEvalService();
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddEvalConsumers();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UsePrunerRetry(new BusOptions { RetryLimit = 2, RetryMinIntervalMilliseconds = 50, RetryMaxIntervalMilliseconds = 200 });
                cfg.ConfigureEndpoints(context);
            });
        });
        var provider = services.BuildServiceProvider(validateScopes: true);
        var harness = new EvalHarness(folder, provider, generator);
        harness.Harness.TestTimeout = TimeSpan.FromMinutes(1);
        await harness.Harness.Start();
        await harness.WriteModelAsync(BaseModel);
        return harness;
    }

    /// <summary>A model folder in the store: only what ModelLocator and the fingerprint look at.</summary>
    public async Task WriteModelAsync(string prefix, string? metricsJsonl = null)
    {
        await Store.WriteTextAsync($"{prefix}/config.json", "{\"model_type\":\"qwen2\"}", CancellationToken.None);
        await Store.WriteTextAsync($"{prefix}/model.safetensors", "weights of " + prefix, CancellationToken.None);
        if (metricsJsonl is not null)
        {
            await Store.WriteTextAsync($"{prefix}/metrics.jsonl", metricsJsonl, CancellationToken.None);
        }
    }

    /// <summary>Writes a model folder at <paramref name="checkpoint"/> and commands its final evaluation for <paramref name="runId"/>.</summary>
    public async Task EvaluateFinalAsync(string runId, string checkpoint, int step, StartPruningRun run)
    {
        await WriteModelAsync(checkpoint);
        await Harness.Bus.Publish(new EvaluateCheckpoint { RunId = runId, Checkpoint = checkpoint, Step = step, IsFinal = true, Run = run });
    }
}
